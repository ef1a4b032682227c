package dev.llmplatform.rag.store;

import java.util.Map;

/** One stored document, as listed. */
public record DocumentSummary(String id, String title, String source, int chunks, Map<String, Object> metadata) {
}
