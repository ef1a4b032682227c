package dev.llmplatform.api.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server behind a remote model: its base URL, how many requests it has in flight (the load balancer
 * picks the fewest), whether its last health poll answered, and its circuit breaker.
 */
public final class UpstreamEndpoint {
    private final URI base;
    private final CircuitBreaker breaker;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean healthy = true;

    UpstreamEndpoint(URI base, CircuitBreaker breaker) {
        this.base = base;
        this.breaker = breaker;
    }

    /** {@code base} + an API path such as {@code /v1/chat/completions}. */
    URI resolve(String apiPath) {
        return URI.create(base.toString() + apiPath);
    }

    public URI base() {
        return base;
    }

    public boolean healthy() {
        return healthy;
    }

    void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    public int outstanding() {
        return outstanding.get();
    }

    AtomicInteger outstandingCounter() {
        return outstanding;
    }

    public CircuitBreaker.State circuit() {
        return breaker.getState();
    }

    /** Failed calls in the circuit breaker's current window. */
    public int failedCalls() {
        return breaker.getMetrics().getNumberOfFailedCalls();
    }

    public int successfulCalls() {
        return breaker.getMetrics().getNumberOfSuccessfulCalls();
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * The base URL as configured, without a trailing slash or {@code /v1} (people paste either form), so
     * that API paths can be appended.
     */
    static URI normalise(URI configured) {
        String s = configured.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/v1")) {
            s = s.substring(0, s.length() - 3);
        }
        URI uri = URI.create(s);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("an upstream must be an http(s) URL, got '" + configured + "'");
        }
        return uri;
    }
}
