package dev.llmplatform.rag;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.util.List;

/**
 * {@link Embedder} over the engine's {@link SentenceEmbedder} (all-MiniLM-L6-v2 by default): its name and
 * dimension identify a collection's vectors, its tokenizer sizes the chunks.
 */
public final class EncoderEmbedder implements Embedder, AutoCloseable {
    private final SentenceEmbedder encoder;

    public EncoderEmbedder(SentenceEmbedder encoder) {
        this.encoder = encoder;
    }

    /** The bundled all-MiniLM-L6-v2 with its own worker threads (the weights are read once per process). */
    public static EncoderEmbedder loadDefault() {
        return new EncoderEmbedder(SentenceEmbedder.loadDefault());
    }

    /** Stops the encoder's worker threads. */
    @Override
    public void close() {
        encoder.close();
    }

    @Override
    public String modelName() {
        return encoder.name();
    }

    @Override
    public int dimensions() {
        return encoder.dimension();
    }

    @Override
    public int maxTokens() {
        return encoder.maxTokens();
    }

    @Override
    public int countTokens(String text) {
        return encoder.tokenizer().encode(text, false).length;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return encoder.embed(texts);
    }
}
