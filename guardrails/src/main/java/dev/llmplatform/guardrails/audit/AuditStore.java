package dev.llmplatform.guardrails.audit;

/**
 * An audit sink that can be read back. The JSON-lines store is the default; a database-backed store
 * can implement the same interface.
 */
public interface AuditStore extends AuditSink, AutoCloseable {
    AuditPage query(AuditQuery query);

    @Override
    void close();
}
