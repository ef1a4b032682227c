package dev.llmplatform.rag.store;

import java.util.Map;

/** A chunk read back from a collection, with its document's citation fields and its vector. */
public record StoredChunk(String documentId, int chunkIndex, String text, int start, int end, Integer page,
                          String title, String source, Map<String, Object> metadata, float[] vector) {
}
