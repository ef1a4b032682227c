package dev.llmplatform.rag.store;

/**
 * A retrieved chunk and its score: cosine similarity for dense search, BM25 for lexical search.
 */
public record ScoredChunk(StoredChunk chunk, float score) {
}
