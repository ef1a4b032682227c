package dev.llmplatform.api.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Token buckets kept in PostgreSQL ({@code rate_limit_buckets}, migration V6) through Bucket4j's
 * PostgreSQL proxy manager, so every API node on the same database draws from one bucket per key. Each
 * operation is one transaction that locks the bucket's row ({@code SELECT … FOR UPDATE}), so concurrent
 * requests on different nodes are serialized per key, not per node. The refill is timed by each node's
 * clock, which is why the nodes' clocks should be synchronized (NTP).
 */
public final class SharedBuckets implements BucketFactory {
    private final ProxyManager<String> buckets;

    public SharedBuckets(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .build();
    }

    @Override
    public Bucket bucket(String name, long capacity, Duration window) {
        return buckets.builder().build(name, () -> BucketFactory.configuration(capacity, window));
    }
}
