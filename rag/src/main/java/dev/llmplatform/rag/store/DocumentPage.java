package dev.llmplatform.rag.store;

import java.util.List;

/** A page of a collection's documents in id order, and how many there are in all. */
public record DocumentPage(List<DocumentSummary> documents, long total, int offset, int limit) {
}
