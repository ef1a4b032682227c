package dev.llmplatform.api.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * Makes the rate limiter's token buckets: in this process's memory ({@link #inMemory}), or as proxies of
 * buckets kept in a database that several API nodes share ({@link SharedBuckets}).
 */
public interface BucketFactory {
    /**
     * The bucket called {@code name}: {@code capacity} tokens, refilled greedily (continuously) at
     * {@code capacity} per {@code window}.
     */
    Bucket bucket(String name, long capacity, Duration window);

    /** Buckets of this process alone, timed by {@code time} (a manual clock in tests). */
    static BucketFactory inMemory(TimeMeter time) {
        return (name, capacity, window) -> Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                .withCustomTimePrecision(time)
                .build();
    }

    /** The configuration of such a bucket, for stores that create it on first use. */
    static BucketConfiguration configuration(long capacity, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
                .build();
    }
}
