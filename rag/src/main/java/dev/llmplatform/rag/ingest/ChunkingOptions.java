package dev.llmplatform.rag.ingest;

/**
 * Chunk size and overlap in the embedding model's tokens. A chunk plus its document title (which is
 * embedded with it) is further capped at the model's input length, so nothing is ever truncated away.
 */
public record ChunkingOptions(int chunkTokens, int overlapTokens) {
    public static final ChunkingOptions DEFAULT = new ChunkingOptions(200, 40);

    public ChunkingOptions {
        if (chunkTokens < 16) {
            throw new IllegalArgumentException("chunk size must be at least 16 tokens, got " + chunkTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= chunkTokens / 2) {
            throw new IllegalArgumentException("chunk overlap must be in [0, size/2), got " + overlapTokens);
        }
    }
}
