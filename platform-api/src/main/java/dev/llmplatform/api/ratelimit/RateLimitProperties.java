package dev.llmplatform.api.ratelimit;

import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code llmp.rate-limits.*}: the limits of keys that have none of their own (and of all traffic when
 * authentication is off). 0 = unlimited.
 *
 * @param requestsPerMinute requests per window
 * @param tokensPerMinute   prompt + completion tokens per window
 * @param window            how long an empty bucket takes to refill completely; one minute unless a test
 *                          shortens it
 */
@Validated
@ConfigurationProperties("llmp.rate-limits")
public record RateLimitProperties(
        @DefaultValue("0") @PositiveOrZero int requestsPerMinute,
        @DefaultValue("0") @PositiveOrZero int tokensPerMinute,
        @DefaultValue("1m") Duration window) {

    public RateLimitProperties {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("llmp.rate-limits.window must be a positive duration (got " + window + ")");
        }
    }
}
