package dev.llmplatform.rag.retrieval;

import dev.llmplatform.rag.store.MetadataFilter;

/**
 * One retrieval.
 *
 * @param topK           hits to return (1..1000)
 * @param filter         metadata condition, or null
 * @param minScore       drop hits scoring below this (the mode's own score: cosine, BM25, or fused RRF), or null
 * @param mmrLambda      when set (0..1), re-rank the candidates with maximal marginal relevance: 1 is pure
 *                       relevance, lower values trade relevance for diversity
 * @param onePerDocument keep only each document's best chunk (applied to each list before fusion)
 * @param fusion         hybrid's reciprocal-rank-fusion settings
 */
public record SearchRequest(String query, SearchMode mode, int topK, MetadataFilter filter, Double minScore,
                            Double mmrLambda, boolean onePerDocument, Fusion fusion) {
    public static final int MAX_TOP_K = 1000;

    public SearchRequest {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must not be empty");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("top_k must be in 1.." + MAX_TOP_K + ", got " + topK);
        }
        if (mmrLambda != null && (mmrLambda < 0 || mmrLambda > 1)) {
            throw new IllegalArgumentException("mmr lambda must be in [0, 1], got " + mmrLambda);
        }
        mode = mode == null ? SearchMode.HYBRID : mode;
        fusion = fusion == null ? Fusion.DEFAULT : fusion;
    }

    public static SearchRequest of(String query, SearchMode mode, int topK) {
        return new SearchRequest(query, mode, topK, null, null, null, false, null);
    }

    public SearchRequest withFilter(MetadataFilter f) {
        return new SearchRequest(query, mode, topK, f, minScore, mmrLambda, onePerDocument, fusion);
    }

    public SearchRequest withOnePerDocument(boolean one) {
        return new SearchRequest(query, mode, topK, filter, minScore, mmrLambda, one, fusion);
    }

    public SearchRequest withMmr(Double lambda) {
        return new SearchRequest(query, mode, topK, filter, minScore, lambda, onePerDocument, fusion);
    }

    /**
     * Reciprocal rank fusion (Cormack et al. 2009): score = Σ weight / (k + rank), over each list's top
     * {@code candidates} hits.
     */
    public record Fusion(int k, double denseWeight, double bm25Weight, int candidates) {
        public static final Fusion DEFAULT = new Fusion(60, 1.0, 1.0, 100);

        public Fusion {
            if (k < 1 || denseWeight < 0 || bm25Weight < 0 || denseWeight + bm25Weight == 0 || candidates < 1) {
                throw new IllegalArgumentException("invalid fusion settings: k=" + k + ", weights " + denseWeight
                        + "/" + bm25Weight + ", candidates " + candidates);
            }
        }
    }
}
