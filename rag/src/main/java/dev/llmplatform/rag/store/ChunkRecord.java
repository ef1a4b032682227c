package dev.llmplatform.rag.store;

/**
 * One chunk as it is written to a collection.
 *
 * @param page   the 1-based page the chunk starts on, or null for unpaged documents
 * @param vector the chunk's unit-length embedding
 */
public record ChunkRecord(int chunkIndex, String text, int start, int end, Integer page, float[] vector) {
}
