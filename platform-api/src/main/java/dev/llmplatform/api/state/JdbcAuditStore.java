package dev.llmplatform.api.state;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.audit.AuditPage;
import dev.llmplatform.guardrails.audit.AuditQuery;
import dev.llmplatform.guardrails.audit.AuditStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The guardrails audit trail in the state database ({@code guardrail_events}): newest first by id,
 * filtered by category (or family), action and time in SQL, paged with {@code OFFSET … FETCH}, bounded by
 * an {@link AuditRetention}.
 */
public final class JdbcAuditStore implements AuditStore {
    private static final String INSERT = "INSERT INTO guardrail_events (event_time, key_id, route, policy, rail, detector,"
            + " category, category_family, action, score, latency_us, start_offset, end_offset)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final AuditRetention retention;
    private final Clock clock;
    private final AtomicLong sincePrune = new AtomicLong();

    public JdbcAuditStore(DataSource dataSource, AuditRetention retention, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.batch = new JdbcTemplate(dataSource);
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void record(AuditEvent e) {
        batch.update(INSERT, ps -> bind(ps, e));
        if (sincePrune.incrementAndGet() >= retention.pruneEvery()) {
            sincePrune.set(0);
            prune();
        }
    }

    /** Inserts many events in one batch (the import of an old trail), oldest first. */
    public void recordAll(List<AuditEvent> events) {
        batch.batchUpdate(INSERT, events, 500, JdbcAuditStore::bind);
    }

    private static void bind(PreparedStatement ps, AuditEvent e) throws SQLException {
        ps.setObject(1, e.time().atOffset(ZoneOffset.UTC));
        ps.setString(2, e.keyId());
        ps.setString(3, e.route());
        ps.setString(4, e.policy());
        ps.setString(5, e.rail());
        ps.setString(6, e.detector());
        ps.setString(7, e.category());
        ps.setString(8, Category.family(e.category()));
        ps.setString(9, e.action());
        ps.setDouble(10, e.score());
        ps.setLong(11, e.latencyMicros());
        ps.setInt(12, e.start());
        ps.setInt(13, e.end());
    }

    @Override
    public AuditPage query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT event_time, key_id, route, policy, rail, detector, category, action, score,"
                + " latency_us, start_offset, end_offset FROM guardrail_events WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.category() != null) {
            sql.append(" AND (category = ? OR category_family = ?)");
            params.add(q.category());
            params.add(q.category());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            params.add(q.action());
        }
        if (q.since() != null) {
            sql.append(" AND event_time >= ?");
            params.add(q.since().atOffset(ZoneOffset.UTC));
        }
        // One row more than the page tells whether there is a next page.
        sql.append(" ORDER BY id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY");
        params.add(q.offset());
        params.add(q.limit() + 1);
        List<AuditEvent> rows = jdbc.sql(sql.toString()).params(params).query((rs, n) -> event(rs)).list();
        boolean more = rows.size() > q.limit();
        return new AuditPage(more ? rows.subList(0, q.limit()) : rows, more);
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getObject("event_time", OffsetDateTime.class).toInstant(), rs.getString("key_id"),
                rs.getString("route"), rs.getString("policy"), rs.getString("rail"), rs.getString("detector"),
                rs.getString("category"), rs.getString("action"), rs.getDouble("score"), rs.getLong("latency_us"),
                rs.getInt("start_offset"), rs.getInt("end_offset"));
    }

    /** Deletes what the retention no longer keeps; returns how many events went. */
    public int prune() {
        int deleted = 0;
        if (!retention.maxAge().isZero()) {
            OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(retention.maxAge()).withOffsetSameInstant(ZoneOffset.UTC);
            deleted += jdbc.sql("DELETE FROM guardrail_events WHERE event_time < ?").param(cutoff).update();
        }
        if (retention.maxEvents() > 0) {
            // The newest id that no longer fits; it and everything older go.
            Optional<Long> firstDropped = jdbc.sql("SELECT id FROM guardrail_events ORDER BY id DESC OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY")
                    .param(retention.maxEvents()).query(Long.class).optional();
            if (firstDropped.isPresent()) {
                deleted += jdbc.sql("DELETE FROM guardrail_events WHERE id <= ?").param(firstDropped.get()).update();
            }
        }
        return deleted;
    }

    /** The database's lifecycle is the application's; nothing to close here. */
    @Override
    public void close() {
    }
}
