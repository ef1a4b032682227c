package dev.llmplatform.api.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Load for any OpenAI-compatible server: {@code requests} streamed chat completions, {@code concurrency} at
 * a time, each with its own prompt of about {@code promptTokens} tokens. Owns its HTTP client and its
 * timer thread; close it when done. A run always ends: every request is cut at the request timeout.
 *
 * <pre>{@code
 * try (ServeBenchmark bench = new ServeBenchmark(ServeBenchmarkOptions.of(
 *         BenchmarkTarget.parse("http://127.0.0.1:8080/v1"), "m", 4, 32, 128, 64))) {
 *     ServeBenchmarkResult result = bench.run();
 * }
 * }</pre>
 */
public final class ServeBenchmark implements AutoCloseable {
    /** The tokenizer probe is a quick question; a server that takes longer is sized by estimate. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private final ServeBenchmarkOptions options;
    private final HttpClient client;
    private final ScheduledExecutorService watchdog;
    private final JsonMapper json = JsonMapper.builder().build();

    public ServeBenchmark(ServeBenchmarkOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder()
                // HTTP/1.1 as every inference server speaks it (no h2c upgrade attempt), and no redirects:
                // the benchmark must never send load to a host the user did not name, proxies included.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(min(options.requestTimeout(), PROBE_TIMEOUT))
                .build();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("bench-serve-timeouts").daemon(true).factory());
    }

    /**
     * Sizes the prompts (with the server's {@code /tokenize} when it has one), then sends the load.
     *
     * @throws ServerUnreachableException when the server cannot be connected to at all
     */
    public ServeBenchmarkResult run() throws ServerUnreachableException, InterruptedException {
        BenchmarkPrompts prompts = new BenchmarkPrompts(options.seed());
        BenchmarkPrompts.Plan plan = planPrompts(prompts);
        StreamedChatRequest request = new StreamedChatRequest(client, options, watchdog, json);
        RequestOutcome[] outcomes = new RequestOutcome[options.requests()];
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(options.concurrency(), options.requests());
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < outcomes.length; i = next.getAndIncrement()) {
                        outcomes[i] = request.send(prompts.prompt(i, plan.words()));
                    }
                });
            }
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        if (Thread.interrupted()) {
            throw new InterruptedException("the benchmark was interrupted");
        }
        return summarise(outcomes, plan, wall);
    }

    private ServeBenchmarkResult summarise(RequestOutcome[] outcomes, BenchmarkPrompts.Plan plan, Duration wall) {
        int completed = 0;
        int withUsage = 0;
        long tokens = 0;
        String firstError = null;
        for (RequestOutcome o : outcomes) {
            if (o.ok()) {
                completed++;
                tokens += o.outputTokens();
                withUsage += o.usageTokens() >= 0 ? 1 : 0;
            } else if (firstError == null) {
                firstError = o.error();
            }
        }
        ServeBenchmarkResult.TokenCounting counting = completed == 0 ? ServeBenchmarkResult.TokenCounting.NONE
                : withUsage == completed ? ServeBenchmarkResult.TokenCounting.USAGE
                : withUsage == 0 ? ServeBenchmarkResult.TokenCounting.CONTENT_CHUNKS
                : ServeBenchmarkResult.TokenCounting.MIXED;
        long[] ttft = Arrays.stream(outcomes).filter(RequestOutcome::ok)
                .mapToLong(RequestOutcome::firstContentNanos).filter(t -> t >= 0).toArray();
        long[] gaps = Arrays.stream(outcomes).filter(RequestOutcome::ok)
                .flatMapToLong(o -> LongStream.of(o.gapsNanos())).toArray();
        return new ServeBenchmarkResult(options.target(), options.model(), options.concurrency(), options.requests(),
                completed, outcomes.length - completed, firstError, tokens, counting, plan, wall,
                LatencyStats.ofNanos(ttft), LatencyStats.ofNanos(gaps));
    }

    /** Asks the server's tokenizer when it has one; this first call also tells whether the server is there. */
    private BenchmarkPrompts.Plan planPrompts(BenchmarkPrompts prompts) throws ServerUnreachableException, InterruptedException {
        Integer overhead = countTokens(prompts.prompt(0, 0));
        Integer withWords = overhead == null ? null : countTokens(prompts.prompt(0, BenchmarkPrompts.CALIBRATION_WORDS));
        return withWords == null ? BenchmarkPrompts.estimate(options.promptTokens())
                : BenchmarkPrompts.calibrated(options.promptTokens(), overhead, withWords);
    }

    /**
     * Tokens in {@code text} by llama.cpp server's {@code POST /tokenize {"content": …} → {"tokens": […]}},
     * or {@code null} when the server has no such endpoint.
     */
    private Integer countTokens(String text) throws ServerUnreachableException, InterruptedException {
        HttpRequest request = options.authorize(HttpRequest.newBuilder(options.target().tokenize()))
                .timeout(min(options.requestTimeout(), PROBE_TIMEOUT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("content", text)),
                        StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new ServerUnreachableException("cannot connect to " + options.target() + ": connect timed out", e);
        } catch (ConnectException e) {
            throw new ServerUnreachableException("cannot connect to " + options.target() + ": connection refused", e);
        } catch (HttpTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new ServerUnreachableException("cannot reach " + options.target() + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
        if (response.statusCode() != 200) {
            return null;
        }
        try {
            JsonNode tokens = json.readTree(response.body()).path("tokens");
            return tokens.isArray() ? tokens.size() : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        client.close();
    }
}
