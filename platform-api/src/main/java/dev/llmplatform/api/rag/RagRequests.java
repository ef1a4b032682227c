package dev.llmplatform.api.rag;

import dev.llmplatform.api.web.ApiException;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.MetadataFilter;
import java.util.Map;

/**
 * Reads a search request from its JSON form — the body of {@code /search}, and the {@code rag} extension
 * of chat completions ({@code {"collection", "query"?, "top_k", "mode", "filter", ...}}).
 */
public final class RagRequests {
    private RagRequests() {
    }

    /** The search in {@code body}; {@code query} is required. */
    public static SearchRequest searchRequest(Map<String, Object> body) {
        Object q = body.get("query");
        if (!(q instanceof String query) || query.isBlank()) {
            throw ApiException.invalidRequest("'query' must be a non-empty string", "query");
        }
        return searchRequest(body, query);
    }

    /** The search options in {@code body} applied to {@code query} (e.g. the last user message). */
    public static SearchRequest searchRequest(Map<String, Object> body, String query) {
        SearchMode mode;
        try {
            mode = SearchMode.parse(body.get("mode") instanceof String s ? s : null);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(e.getMessage(), "mode");
        }
        if (body.get("mode") != null && !(body.get("mode") instanceof String)) {
            throw ApiException.invalidRequest("'mode' must be a string", "mode");
        }
        int topK = integer(body, "top_k", 5);
        Double minScore = number(body, "min_score");
        Double mmr = number(body, "mmr_lambda");
        MetadataFilter filter = null;
        if (body.get("filter") != null) {
            try {
                filter = MetadataFilter.parse(body.get("filter"));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest("invalid filter: " + e.getMessage(), "filter");
            }
        }
        boolean onePerDocument = Boolean.TRUE.equals(body.get("one_per_document"));
        try {
            return new SearchRequest(query, mode, topK, filter, minScore, mmr, onePerDocument, null);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(e.getMessage(), null);
        }
    }

    private static int integer(Map<String, Object> body, String field, int fallback) {
        Object v = body.get(field);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).intValue();
        }
        throw ApiException.invalidRequest("'" + field + "' must be an integer", field);
    }

    private static Double number(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw ApiException.invalidRequest("'" + field + "' must be a number", field);
    }
}
