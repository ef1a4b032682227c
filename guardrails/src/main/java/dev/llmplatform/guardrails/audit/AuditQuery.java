package dev.llmplatform.guardrails.audit;

import java.time.Instant;

/**
 * A filter and a page: events newest first; {@code null} filters match everything.
 *
 * @param category exact category, or a family such as {@code PII}
 * @param action   {@code flag}, {@code redact} or {@code block}
 * @param since    only events at or after this instant
 * @param offset   events to skip (after filtering)
 * @param limit    at most this many events
 */
public record AuditQuery(String category, String action, Instant since, int offset, int limit) {
    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT);
        }
    }
}
