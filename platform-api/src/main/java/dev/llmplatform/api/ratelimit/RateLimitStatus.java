package dev.llmplatform.api.ratelimit;

import java.time.Duration;

/**
 * One bucket's state as OpenAI's {@code x-ratelimit-*} headers report it.
 *
 * @param limit      the bucket's capacity per window
 * @param remaining  what is left now (may be negative for tokens after a large completion)
 * @param reset      time until the bucket is full again
 * @param retryAfter when rejected: time until one unit is available; zero when admitted
 */
public record RateLimitStatus(long limit, long remaining, Duration reset, Duration retryAfter) {
    public boolean rejected() {
        return !retryAfter.isZero();
    }
}
