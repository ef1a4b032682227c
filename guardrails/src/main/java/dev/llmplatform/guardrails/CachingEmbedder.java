package dev.llmplatform.guardrails;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Remembers the vectors of texts it has embedded, so tools that embed the same rows for training and
 * for cross-validation pay once. Unbounded: for command-line tools over a fixed data set, not servers.
 */
public final class CachingEmbedder implements TextEmbedder {
    private final TextEmbedder inner;
    private final Map<Integer, Map<String, float[]>> cache = new HashMap<>();

    public CachingEmbedder(TextEmbedder inner) {
        this.inner = inner;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return embed(texts, ALL_LAYERS);
    }

    @Override
    public synchronized List<float[]> embed(List<String> texts, int layers) {
        Map<String, float[]> known = cache.computeIfAbsent(layers, l -> new HashMap<>());
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
        missing.removeIf(known::containsKey);
        if (!missing.isEmpty()) {
            List<float[]> vectors = inner.embed(missing, layers);
            for (int i = 0; i < missing.size(); i++) {
                known.put(missing.get(i), vectors.get(i));
            }
        }
        return texts.stream().map(known::get).toList();
    }

    @Override
    public boolean readsWhole(String text) {
        return inner.readsWhole(text);
    }
}
