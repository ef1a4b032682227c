package dev.llmplatform.guardrails.audit;

/** Where guardrail decisions go. Implementations are thread-safe and must not block for long. */
public interface AuditSink {
    void record(AuditEvent event);

    /** Drops everything: for tests and tools that need no trail. */
    AuditSink DISCARD = event -> {
    };
}
