package dev.llmplatform.api.state;

import java.time.Duration;

/**
 * How much of the guardrails audit trail the database keeps: at most {@code maxEvents} events (0: no count
 * limit) and none older than {@code maxAge} (zero: no age limit). Old events are deleted every
 * {@code pruneEvery} recorded events and at startup, so the table may exceed {@code maxEvents} by at most
 * that many rows in between.
 */
public record AuditRetention(long maxEvents, Duration maxAge, int pruneEvery) {
    public AuditRetention {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("llmp.guardrails.audit.max-events must be 0 (no limit) or positive, got " + maxEvents);
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("llmp.guardrails.audit.max-age must be 0 (no limit) or a positive duration, got " + maxAge);
        }
        if (pruneEvery < 1) {
            throw new IllegalArgumentException("pruneEvery must be positive, got " + pruneEvery);
        }
    }

    /** Prunes every tenth of the count limit (at most every 1,000 events), so pruning costs little per event. */
    public static AuditRetention of(long maxEvents, Duration maxAge) {
        int every = maxEvents == 0 ? 1_000 : (int) Math.max(1, Math.min(1_000, maxEvents / 10));
        return new AuditRetention(maxEvents, maxAge, every);
    }
}
