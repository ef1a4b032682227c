package dev.llmplatform.api.upstream;

import dev.llmplatform.api.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;

/**
 * A model served by remote OpenAI-compatible servers. Each request goes to the endpoint with the fewest
 * requests in flight among those whose last health poll answered and whose circuit is closed; when the
 * connection fails before any byte of an answer, the next endpoint is tried (nothing has reached the
 * client yet, so a retry is safe). An endpoint that fails takes no new requests until it is healthy again.
 *
 * <p>{@code remoteName} is the name the upstreams know the model by; {@code contextLength} the context the
 * RAG token budget assumes.
 */
public final class UpstreamModel {
    private final String id;
    private final String remoteName;
    private final String apiKey;
    private final int contextLength;
    private final List<UpstreamEndpoint> endpoints;
    private final HttpClient http;
    private final Duration requestTimeout;
    /** Turns among endpoints that tie (healthy, equally busy), so an idle model's requests alternate. */
    private final AtomicInteger turn = new AtomicInteger();

    UpstreamModel(String id, String remoteName, String apiKey, int contextLength, List<UpstreamEndpoint> endpoints, HttpClient http,
                  Duration requestTimeout) {
        this.id = id;
        this.remoteName = remoteName;
        this.apiKey = apiKey;
        this.contextLength = contextLength;
        this.endpoints = List.copyOf(endpoints);
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    public String id() {
        return id;
    }

    public String remoteName() {
        return remoteName;
    }

    String apiKey() {
        return apiKey;
    }

    public int contextLength() {
        return contextLength;
    }

    public List<UpstreamEndpoint> endpoints() {
        return endpoints;
    }

    /** Healthy first, then fewest in flight, then this request's turn among the rest. */
    List<UpstreamEndpoint> preference() {
        int size = endpoints.size();
        int start = Math.floorMod(turn.getAndIncrement(), size);
        List<UpstreamEndpoint> rotated = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            rotated.add(endpoints.get((start + i) % size));
        }
        rotated.sort(Comparator.comparing((UpstreamEndpoint e) -> !e.healthy()).thenComparingInt(UpstreamEndpoint::outstanding));
        return rotated;
    }

    /**
     * Sends {@code body} to {@code apiPath} of the best endpoint, falling over to the others on connection
     * failures; the answer's status and headers have arrived when this returns.
     *
     * @throws ApiException 503 {@code upstream_unavailable} when no endpoint could be reached
     */
    public UpstreamCall send(String apiPath, byte[] body, boolean stream) throws InterruptedException {
        List<UpstreamEndpoint> order = preference();
        List<String> failures = new ArrayList<>();
        for (UpstreamEndpoint endpoint : order) {
            if (!endpoint.breaker().tryAcquirePermission()) {
                failures.add(endpoint.base() + ": circuit open");
                continue;
            }
            endpoint.outstandingCounter().incrementAndGet();
            long start = System.nanoTime();
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(apiPath)).timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", stream ? "text/event-stream" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            try {
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                return new UpstreamCall(endpoint, response, start);
            } catch (IOException e) {
                // Nothing of an answer arrived: mark the endpoint down and try the next one.
                new UpstreamCall(endpoint, null, start).fail(e);
                failures.add(endpoint.base() + ": " + describe(e));
            }
        }
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "No upstream of model '" + id + "' could take the request ("
                + String.join("; ", failures) + ")", "server_error", null, "upstream_unavailable");
    }

    /** An exception as one line: its type and message. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }
}
