package dev.llmplatform.api.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.audit.AuditPage;
import dev.llmplatform.guardrails.audit.AuditQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcAuditStoreTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path home;
    StateDatabaseFixture db;

    @BeforeEach
    void open() {
        db = new StateDatabaseFixture(home);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static AuditEvent event(int minute, String category, String action) {
        return new AuditEvent(T0.plus(Duration.ofMinutes(minute)), "key_" + minute, "/v1/chat/completions", "default", "input",
                "pii.regex", category, action, 0.9, 120 + minute, minute, minute + 5);
    }

    JdbcAuditStore store(long maxEvents, Duration maxAge, Instant now) {
        return new JdbcAuditStore(db.pool, new AuditRetention(maxEvents, maxAge, 1), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void eventsComeBackNewestFirstFilteredAndPaged() {
        JdbcAuditStore store = store(0, Duration.ZERO, T0);
        store.record(event(0, "EMAIL_ADDRESS", "redact"));
        store.record(event(1, "INJECTION", "block"));
        store.record(event(2, "PHONE_NUMBER", "redact"));
        store.record(event(3, "AWS_ACCESS_KEY", "block"));

        AuditPage all = store.query(new AuditQuery(null, null, null, 0, 10));
        assertThat(all.events()).extracting(AuditEvent::category)
                .containsExactly("AWS_ACCESS_KEY", "PHONE_NUMBER", "INJECTION", "EMAIL_ADDRESS");
        assertThat(all.hasMore()).isFalse();
        assertThat(all.events().getLast()).isEqualTo(event(0, "EMAIL_ADDRESS", "redact")); // every field round-trips

        assertThat(store.query(new AuditQuery("PII", null, null, 0, 10)).events()).extracting(AuditEvent::category)
                .containsExactly("PHONE_NUMBER", "EMAIL_ADDRESS");
        assertThat(store.query(new AuditQuery("INJECTION", null, null, 0, 10)).events()).hasSize(1);
        assertThat(store.query(new AuditQuery(null, "block", null, 0, 10)).events()).extracting(AuditEvent::category)
                .containsExactly("AWS_ACCESS_KEY", "INJECTION");
        assertThat(store.query(new AuditQuery(null, null, T0.plus(Duration.ofMinutes(2)), 0, 10)).events()).hasSize(2);
        assertThat(store.query(new AuditQuery("PII", "block", null, 0, 10)).events()).isEmpty();

        AuditPage first = store.query(new AuditQuery(null, null, null, 0, 3));
        assertThat(first.events()).hasSize(3);
        assertThat(first.hasMore()).isTrue();
        AuditPage second = store.query(new AuditQuery(null, null, null, 3, 3));
        assertThat(second.events()).extracting(AuditEvent::category).containsExactly("EMAIL_ADDRESS");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void retentionKeepsTheNewestEventsByCount() {
        JdbcAuditStore store = store(3, Duration.ZERO, T0);
        for (int i = 0; i < 7; i++) {
            store.record(event(i, "EMAIL_ADDRESS", "flag"));
        }
        AuditPage page = store.query(new AuditQuery(null, null, null, 0, 10));
        assertThat(page.events()).extracting(e -> e.keyId()).containsExactly("key_6", "key_5", "key_4");
    }

    @Test
    void retentionDropsEventsOlderThanTheMaximumAge() {
        JdbcAuditStore writer = store(0, Duration.ZERO, T0);
        for (int i = 0; i < 5; i++) {
            writer.record(event(i * 60, "EMAIL_ADDRESS", "flag")); // one an hour
        }
        // Four hours after the first: a three-hour limit keeps the events of hours 1.. 4 (hour 1 is exactly 3h old).
        JdbcAuditStore pruning = store(0, Duration.ofHours(3), T0.plus(Duration.ofHours(4)));
        assertThat(pruning.prune()).isEqualTo(1);
        assertThat(pruning.query(new AuditQuery(null, null, null, 0, 10)).events()).extracting(e -> e.keyId())
                .containsExactly("key_240", "key_180", "key_120", "key_60");
    }
}
