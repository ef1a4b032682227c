package dev.llmplatform.rag;

/** The real bundled all-MiniLM-L6-v2, loaded once per test JVM (the engine caches it). */
public final class TestEmbedder {
    private TestEmbedder() {
    }

    public static Embedder minilm() {
        return EncoderEmbedder.loadDefault();
    }
}
