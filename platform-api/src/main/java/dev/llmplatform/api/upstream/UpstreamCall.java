package dev.llmplatform.api.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request in flight on an endpoint: the answer as it arrives, and the bookkeeping when it ends —
 * the endpoint's in-flight count, and success or failure for its circuit breaker. A failure (a connection
 * dropped mid-answer, a 5xx) also takes the endpoint out of rotation until its next good health poll.
 * Exactly one of {@link #succeed()} and {@link #fail(Throwable)} counts; later calls do nothing.
 */
public final class UpstreamCall implements AutoCloseable {
    private final UpstreamEndpoint endpoint;
    private final HttpResponse<InputStream> response;
    private final long start;
    private final AtomicBoolean ended = new AtomicBoolean();

    UpstreamCall(UpstreamEndpoint endpoint, HttpResponse<InputStream> response, long start) {
        this.endpoint = endpoint;
        this.response = response;
        this.start = start;
    }

    public int status() {
        return response.statusCode();
    }

    public InputStream body() {
        return response.body();
    }

    public UpstreamEndpoint endpoint() {
        return endpoint;
    }

    /** The upstream answered (a 4xx is the request's fault, not the upstream's). */
    public void succeed() {
        if (ended.compareAndSet(false, true)) {
            endpoint.breaker().onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            endpoint.outstandingCounter().decrementAndGet();
        }
    }

    /** The upstream failed: counted against its circuit, and out of rotation until a health poll answers. */
    public void fail(Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            endpoint.healthy(false);
            endpoint.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, cause);
            endpoint.outstandingCounter().decrementAndGet();
        }
    }

    /** Ends the call (as a success unless it failed) and drops the connection if the body is still open. */
    @Override
    public void close() {
        succeed();
        if (response != null) {
            try {
                response.body().close();
            } catch (IOException e) {
                // the connection is gone either way
            }
        }
    }
}
