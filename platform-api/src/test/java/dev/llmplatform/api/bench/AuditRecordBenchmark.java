package dev.llmplatform.api.bench;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.state.AuditRetention;
import dev.llmplatform.api.state.JdbcAuditStore;
import dev.llmplatform.api.state.StateDatabase;
import dev.llmplatform.guardrails.audit.AuditEvent;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * What recording one guardrail decision costs the request that made it: {@link JdbcAuditStore#record}
 * into the embedded H2 state database, with the server's default retention (its pruning included). Not a
 * JUnit test; run as described in docs/configuration.md. Arguments: [events per round] [rounds].
 */
public final class AuditRecordBenchmark {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DataHome home = new DataHome(Files.createTempDirectory("llmp-audit-bench"));
        JdbcConnectionPool pool = JdbcConnectionPool.create(StateDatabase.embeddedUrl(home), "sa", "");
        try {
            StateDatabase.migrate(pool);
            JdbcAuditStore store = new JdbcAuditStore(pool, AuditRetention.of(1_000_000, Duration.ofDays(90)), Clock.systemUTC());
            for (int round = 0; round < rounds; round++) {
                double[] ms = new double[events];
                for (int i = 0; i < events; i++) {
                    long t0 = System.nanoTime();
                    store.record(new AuditEvent(Instant.now(), "key_bench", "/v1/chat/completions", "fast", "input", "pii.regex",
                            "EMAIL_ADDRESS", "redact", 0.9, 150, 3, 20));
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "round %d%s: record p50 %.3f ms p99 %.3f ms%n", round, round == 0 ? " (warm-up)" : "",
                        ms[events / 2], ms[(int) (events * 0.99)]);
            }
        } finally {
            pool.dispose();
        }
    }
}
