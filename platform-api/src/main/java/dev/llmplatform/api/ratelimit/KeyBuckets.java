package dev.llmplatform.api.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/** One key's two token buckets: requests and tokens per window; a limit of 0 means no bucket. */
final class KeyBuckets {
    private final Bucket requests;
    private final Bucket tokens;
    private final long requestLimit;
    private final long tokenLimit;
    private final Duration window;

    /**
     * The buckets are named after the key and their limits, so a shared store starts a fresh bucket when a
     * key's limits change rather than keeping the old capacity. Greedy refill: tokens come back
     * continuously (capacity per window), not all at once at the window's end.
     */
    KeyBuckets(String keyId, long requestLimit, long tokenLimit, Duration window, BucketFactory factory) {
        this.requestLimit = requestLimit;
        this.tokenLimit = tokenLimit;
        this.window = window;
        String suffix = "/" + window.toMillis() + "ms";
        this.requests = requestLimit > 0 ? factory.bucket(keyId + ":requests:" + requestLimit + suffix, requestLimit, window) : null;
        this.tokens = tokenLimit > 0 ? factory.bucket(keyId + ":tokens:" + tokenLimit + suffix, tokenLimit, window) : null;
    }

    /** Takes one request; the status says when the caller may retry if none is left. */
    RateLimitStatus takeRequest() {
        if (requests == null) {
            return null;
        }
        ConsumptionProbe probe = requests.tryConsumeAndReturnRemaining(1);
        Duration wait = probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
        return new RateLimitStatus(requestLimit, probe.getRemainingTokens(), reset(requestLimit, probe.getRemainingTokens()), wait);
    }

    /** The requests bucket's state without taking from it. */
    RateLimitStatus peekRequests() {
        if (requests == null) {
            return null;
        }
        long available = requests.getAvailableTokens();
        return new RateLimitStatus(requestLimit, available, reset(requestLimit, available), Duration.ZERO);
    }

    /** Checks that some tokens are left; rejects while the bucket is empty or in debt from a large completion. */
    RateLimitStatus checkTokens() {
        if (tokens == null) {
            return null;
        }
        long available = tokens.getAvailableTokens();
        Duration wait = available > 0 ? Duration.ZERO
                : Duration.ofNanos(Math.max(1, tokens.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
        return new RateLimitStatus(tokenLimit, available, reset(tokenLimit, available), wait);
    }

    /** Charges tokens already spent; the bucket may go into debt, which later requests wait out. */
    void chargeTokens(long count) {
        if (tokens != null && count > 0) {
            tokens.consumeIgnoringRateLimits(count);
        }
    }

    /** Time until a greedy bucket at {@code remaining} is back to {@code capacity}. */
    private Duration reset(long capacity, long remaining) {
        long missing = Math.max(0, capacity - remaining);
        return Duration.ofNanos((long) ((double) missing / capacity * window.toNanos()));
    }
}
