package dev.llmplatform.guardrails.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlAuditStoreTest {
    @TempDir
    Path dir;

    private static AuditEvent event(int i, String category, String action) {
        return new AuditEvent(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "key-1", "/v1/chat/completions",
                "default", "input", "pii:email", category, action, 0.95, 120, i, i + 5);
    }

    @Test
    void writesFiltersAndPagesNewestFirst() {
        try (JsonlAuditStore store = JsonlAuditStore.withDefaults(dir)) {
            for (int i = 0; i < 10; i++) {
                store.record(event(i, i % 2 == 0 ? "EMAIL_ADDRESS" : "PROMPT_INJECTION", i % 2 == 0 ? "redact" : "block"));
            }
            AuditPage blocks = store.query(new AuditQuery(null, "block", null, 0, 3));
            assertThat(blocks.events()).extracting(AuditEvent::start).containsExactly(9, 7, 5);
            assertThat(blocks.hasMore()).isTrue();
            AuditPage next = store.query(new AuditQuery(null, "block", null, 3, 3));
            assertThat(next.events()).extracting(AuditEvent::start).containsExactly(3, 1);
            assertThat(next.hasMore()).isFalse();
            assertThat(store.query(new AuditQuery("PII", null, null, 0, 100)).events()).hasSize(5);
            assertThat(store.query(new AuditQuery("EMAIL_ADDRESS", null, Instant.parse("2026-01-01T00:00:06Z"), 0, 100)).events())
                    .extracting(AuditEvent::start).containsExactly(8, 6);
        }
        // Persistent: a new store over the same directory reads the trail back.
        try (JsonlAuditStore reopened = JsonlAuditStore.withDefaults(dir)) {
            assertThat(reopened.query(new AuditQuery(null, null, null, 0, 100)).events()).hasSize(10)
                    .first().satisfies(e -> assertThat(e.keyId()).isEqualTo("key-1"));
        }
    }

    @Test
    void rotatesAndStaysBounded() throws Exception {
        try (JsonlAuditStore store = new JsonlAuditStore(dir, 2048, 3)) {
            for (int i = 0; i < 200; i++) {
                store.record(event(i, "EMAIL_ADDRESS", "flag"));
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).isEqualTo(3);
            }
            AuditPage all = store.query(new AuditQuery(null, null, null, 0, 500));
            assertThat(all.events().size()).isBetween(10, 199);
            assertThat(all.events().getFirst().start()).isEqualTo(199); // the newest survive
        }
    }
}
