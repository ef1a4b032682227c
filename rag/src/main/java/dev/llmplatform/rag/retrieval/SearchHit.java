package dev.llmplatform.rag.retrieval;

import java.util.Map;

/**
 * A retrieved chunk with what a citation needs.
 *
 * @param score the mode's score: cosine similarity (dense), BM25 (bm25) or the fused RRF score (hybrid)
 * @param start character offset of the chunk in its document's extracted text
 * @param page  1-based page of paged formats, else null
 */
public record SearchHit(String documentId, int chunkIndex, double score, String text, String title, String source,
                        Integer page, int start, int end, Map<String, Object> metadata) {
}
