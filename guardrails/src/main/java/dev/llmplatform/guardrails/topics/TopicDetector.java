package dev.llmplatform.guardrails.topics;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Banned topics by cosine similarity of each text window to each topic's description. */
public final class TopicDetector {
    private final List<Topic> topics;
    private final List<float[]> descriptions;

    public TopicDetector(List<Topic> topics, TextEmbedder embedder) {
        this.topics = List.copyOf(topics);
        this.descriptions = topics.isEmpty() ? List.of() : embedder.embed(topics.stream().map(Topic::description).toList());
    }

    public List<Finding> detect(EmbeddedText text) {
        List<Finding> found = new ArrayList<>();
        if (topics.isEmpty()) {
            return found;
        }
        List<float[]> vectors = text.vectors();
        for (int t = 0; t < topics.size(); t++) {
            Topic topic = topics.get(t);
            for (int w = 0; w < vectors.size(); w++) {
                double sim = dot(vectors.get(w), descriptions.get(t));
                if (sim >= topic.threshold()) {
                    int[] span = text.windows().get(w);
                    found.add(new Finding(Category.TOPIC_PREFIX + topic.name().toUpperCase(Locale.ROOT), span[0], span[1],
                            Math.clamp(sim, 0, 1), "topics:" + topic.name()));
                }
            }
        }
        return found;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
