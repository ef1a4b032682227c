package dev.llmplatform.api.rag;

import dev.llmplatform.rag.EncoderEmbedder;
import dev.llmplatform.rag.Embedder;
import java.util.List;
import java.util.function.Supplier;

/**
 * Loads the encoder on first use, so the server starts (and serves chat) without paying for the
 * embedding model until a collection is touched.
 */
final class LazyEmbedder implements Embedder {
    private final Supplier<Embedder> loader;
    private volatile Embedder embedder;

    LazyEmbedder(Supplier<Embedder> loader) {
        this.loader = loader;
    }

    static LazyEmbedder bundled() {
        return new LazyEmbedder(EncoderEmbedder::loadDefault);
    }

    private Embedder get() {
        Embedder e = embedder;
        if (e == null) {
            synchronized (this) {
                e = embedder;
                if (e == null) {
                    e = loader.get();
                    embedder = e;
                }
            }
        }
        return e;
    }

    @Override
    public String modelName() {
        return get().modelName();
    }

    @Override
    public int dimensions() {
        return get().dimensions();
    }

    @Override
    public int maxTokens() {
        return get().maxTokens();
    }

    @Override
    public int countTokens(String text) {
        return get().countTokens(text);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return get().embed(texts);
    }
}
