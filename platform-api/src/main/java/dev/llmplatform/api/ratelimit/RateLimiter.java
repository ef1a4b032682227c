package dev.llmplatform.api.ratelimit;

import dev.llmplatform.api.security.KeyPrincipal;
import io.github.bucket4j.TimeMeter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key rate limits with Bucket4j token buckets: in this process's memory (a restart refills them), or
 * shared by every node of one PostgreSQL database ({@link SharedBuckets}). A key's own limits win over
 * {@link RateLimitProperties}' defaults.
 */
public final class RateLimiter {
    private final RateLimitProperties defaults;
    private final BucketFactory factory;
    private final Map<String, KeyBuckets> buckets = new ConcurrentHashMap<>();

    /** @param time Bucket4j's clock; {@link TimeMeter#SYSTEM_NANOTIME} in the server, a manual one in tests */
    public RateLimiter(RateLimitProperties defaults, TimeMeter time) {
        this(defaults, BucketFactory.inMemory(time));
    }

    public RateLimiter(RateLimitProperties defaults, BucketFactory factory) {
        this.defaults = defaults;
        this.factory = factory;
    }

    /** Result of admitting a request: either bucket's status is null when that limit does not apply. */
    public record Admission(RateLimitStatus requests, RateLimitStatus tokens) {
        public boolean rejected() {
            return (requests != null && requests.rejected()) || (tokens != null && tokens.rejected());
        }
    }

    /** Takes one request from the key's budget and checks that it has tokens left. */
    public Admission admit(KeyPrincipal key) {
        KeyBuckets b = bucketsOf(key);
        if (b == null) {
            return new Admission(null, null);
        }
        RateLimitStatus tokens = b.checkTokens();
        // A request refused for tokens does not also spend a request.
        if (tokens != null && tokens.rejected()) {
            return new Admission(b.peekRequests(), tokens);
        }
        return new Admission(b.takeRequest(), tokens);
    }

    /** Charges a finished request's prompt + completion tokens. */
    public void charge(KeyPrincipal key, long tokens) {
        KeyBuckets b = bucketsOf(key);
        if (b != null) {
            b.chargeTokens(tokens);
        }
    }

    /** Drops a revoked key's buckets. */
    public void forget(String keyId) {
        buckets.remove(keyId);
    }

    private KeyBuckets bucketsOf(KeyPrincipal key) {
        long requests = key.requestsPerMinute() != null ? key.requestsPerMinute() : defaults.requestsPerMinute();
        long tokens = key.tokensPerMinute() != null ? key.tokensPerMinute() : defaults.tokensPerMinute();
        if (requests <= 0 && tokens <= 0) {
            return null;
        }
        return buckets.computeIfAbsent(key.keyId(), id -> new KeyBuckets(id, requests, tokens, defaults.window(), factory));
    }
}
