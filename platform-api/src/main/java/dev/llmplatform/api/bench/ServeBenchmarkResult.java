package dev.llmplatform.api.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of a serving benchmark. Throughput counts completed requests only; latencies come from
 * completed requests' content chunks.
 *
 * @param completed         requests that streamed to the end
 * @param errors            requests that failed (HTTP error, error event, broken or timed-out stream)
 * @param firstError        the first failure's message (in request order), or {@code null}
 * @param outputTokens      output tokens of the completed requests, counted as {@code tokenCounting} says
 * @param wall              from the first request sent to the last one finished
 * @param timeToFirstToken  per completed request that produced content: request sent → first content delta
 * @param interTokenLatency every gap between consecutive content-bearing chunks of completed requests
 */
public record ServeBenchmarkResult(BenchmarkTarget target, String model, int concurrency, int requests, int completed,
                                   int errors, String firstError, long outputTokens, TokenCounting tokenCounting,
                                   BenchmarkPrompts.Plan prompts, Duration wall, LatencyStats timeToFirstToken,
                                   LatencyStats interTokenLatency) {
    /** Where the output token counts came from. */
    public enum TokenCounting {
        USAGE("from usage.completion_tokens"),
        CONTENT_CHUNKS("counted as content chunks: the server sent no usage"),
        MIXED("from usage.completion_tokens where sent, else counted as content chunks"),
        NONE("no request completed");

        private final String description;

        TokenCounting(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public double wallSeconds() {
        return wall.toNanos() / 1e9;
    }

    public double requestsPerSecond() {
        return wall.isZero() ? 0 : completed / wallSeconds();
    }

    public double outputTokensPerSecond() {
        return wall.isZero() ? 0 : outputTokens / wallSeconds();
    }

    /**
     * The machine-readable summary, exactly these keys: concurrency, requests, errors, output_tok_s,
     * ttft_ms_p50, ttft_ms_p99, itl_ms_p50, itl_ms_p99. A latency with no samples (e.g. every request
     * failed, or each produced one chunk) is {@code null}.
     */
    public String jsonLine() {
        return String.format(Locale.ROOT,
                "{\"concurrency\": %d, \"requests\": %d, \"errors\": %d, \"output_tok_s\": %.3f, "
                        + "\"ttft_ms_p50\": %s, \"ttft_ms_p99\": %s, \"itl_ms_p50\": %s, \"itl_ms_p99\": %s}",
                concurrency, requests, errors, outputTokensPerSecond(),
                millis(timeToFirstToken, 50), millis(timeToFirstToken, 99),
                millis(interTokenLatency, 50), millis(interTokenLatency, 99));
    }

    private static String millis(LatencyStats stats, double percentile) {
        return stats.isEmpty() ? "null" : String.format(Locale.ROOT, "%.3f", stats.percentileMillis(percentile));
    }
}
