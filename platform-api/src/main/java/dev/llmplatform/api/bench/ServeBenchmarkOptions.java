package dev.llmplatform.api.bench;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * What a serving benchmark sends and how hard.
 *
 * @param target         the server (see {@link BenchmarkTarget#parse})
 * @param model          the {@code model} field of every request
 * @param concurrency    requests in flight at once
 * @param requests       requests in all
 * @param promptTokens   about how long each prompt is, in the server's tokens
 * @param maxTokens      {@code max_tokens} of every request
 * @param temperature    {@code temperature} of every request
 * @param requestTimeout the most one request may take, stream included
 * @param apiKey         sent as {@code Authorization: Bearer}, or {@code null}
 * @param seed           seeds the prompts' words
 */
public record ServeBenchmarkOptions(BenchmarkTarget target, String model, int concurrency, int requests, int promptTokens,
                                    int maxTokens, double temperature, Duration requestTimeout, String apiKey, long seed) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Requests are made one by one and kept in memory; this bounds a run (and a typo's cost). */
    public static final int MAX_REQUESTS = 1_000_000;
    public static final int MAX_CONCURRENCY = 4096;

    /** Checks every field; the messages name the CLI options they come from. */
    public ServeBenchmarkOptions {
        Objects.requireNonNull(target, "target");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--model must not be empty");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + MAX_CONCURRENCY + " (got " + concurrency + ")");
        }
        if (requests < 1 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("--requests must be between 1 and " + MAX_REQUESTS + " (got " + requests + ")");
        }
        if (promptTokens < 1) {
            throw new IllegalArgumentException("--prompt-tokens must be ≥ 1 (got " + promptTokens + ")");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens must be ≥ 1 (got " + maxTokens + ")");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be a finite number ≥ 0 (got " + temperature + ")");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("--timeout-s must be > 0");
        }
        if (apiKey != null && (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw new IllegalArgumentException("--api-key must be printable ASCII without spaces");
        }
    }

    /** Options with temperature 0, the default timeout, no key and seed 1. */
    public static ServeBenchmarkOptions of(BenchmarkTarget target, String model, int concurrency, int requests,
                                          int promptTokens, int maxTokens) {
        return new ServeBenchmarkOptions(target, model, concurrency, requests, promptTokens, maxTokens, 0.0,
                DEFAULT_TIMEOUT, null, 1);
    }

    public ServeBenchmarkOptions withRequestTimeout(Duration timeout) {
        return new ServeBenchmarkOptions(target, model, concurrency, requests, promptTokens, maxTokens, temperature,
                timeout, apiKey, seed);
    }

    HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "ServeBenchmarkOptions[target=" + target + ", model=" + model + ", concurrency=" + concurrency
                + ", requests=" + requests + ", promptTokens=" + promptTokens + ", maxTokens=" + maxTokens
                + ", temperature=" + temperature + ", requestTimeout=" + requestTimeout
                + ", apiKey=" + (apiKey == null ? "none" : "set") + ", seed=" + seed + "]";
    }
}
