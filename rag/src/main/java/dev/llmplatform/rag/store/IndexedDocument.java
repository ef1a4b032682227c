package dev.llmplatform.rag.store;

import java.util.List;
import java.util.Map;

/**
 * A document ready to be stored: its chunks with their vectors and its citation fields. Storing it
 * replaces every chunk an earlier version with the same id had, atomically.
 */
public record IndexedDocument(String id, String title, String source, Map<String, Object> metadata,
                              List<ChunkRecord> chunks) {
    public IndexedDocument {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("document id is empty");
        }
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("document '" + id + "' has no chunks");
        }
        title = title == null ? "" : title;
        source = source == null ? "" : source;
        metadata = Map.copyOf(metadata);
        chunks = List.copyOf(chunks);
    }
}
