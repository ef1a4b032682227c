package dev.llmplatform.guardrails.audit;

import java.util.List;

/**
 * @param events  the page, newest first
 * @param hasMore whether a next page exists (query again with {@code offset + events.size()})
 */
public record AuditPage(List<AuditEvent> events, boolean hasMore) {
    public AuditPage {
        events = List.copyOf(events);
    }
}
