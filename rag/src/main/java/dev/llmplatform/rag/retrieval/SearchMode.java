package dev.llmplatform.rag.retrieval;

import java.util.Locale;

/** How chunks are found: by embedding similarity, by BM25 over the words, or both fused. */
public enum SearchMode {
    DENSE, BM25, HYBRID;

    /** {@code dense}, {@code bm25} (also {@code lexical}, {@code sparse}), {@code hybrid}. */
    public static SearchMode parse(String s) {
        if (s == null || s.isBlank()) {
            return HYBRID;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "dense", "vector", "semantic" -> DENSE;
            case "bm25", "lexical", "sparse", "keyword" -> BM25;
            case "hybrid" -> HYBRID;
            default -> throw new IllegalArgumentException("unknown search mode '" + s + "': use dense, bm25 or hybrid");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
