package dev.llmplatform.api.upstream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code llmp.upstreams.*}: how the gateway treats remote OpenAI-compatible servers (the models whose
 * entry names an {@code upstream} instead of a file).
 *
 * @param healthInterval     how often each upstream's {@code GET /v1/models} is polled; an upstream that
 *                           failed takes no new requests until a poll succeeds again
 * @param connectTimeout     the longest a connection attempt may take before the next upstream is tried
 * @param requestTimeout     the longest one proxied request (a whole stream included) may take
 * @param failureRateThreshold per cent of failed calls (over {@code minimumCalls}) that opens an upstream's circuit
 * @param minimumCalls       calls the circuit breaker needs before it judges the failure rate
 * @param openDuration       how long an open circuit refuses calls before it lets a trial call through
 */
@ConfigurationProperties("llmp.upstreams")
public record UpstreamProperties(@DefaultValue("5s") Duration healthInterval, @DefaultValue("2s") Duration connectTimeout,
                                 @DefaultValue("10m") Duration requestTimeout,
                                 @DefaultValue("50") int failureRateThreshold, @DefaultValue("4") int minimumCalls,
                                 @DefaultValue("30s") Duration openDuration) {
    public UpstreamProperties {
        if (healthInterval.isNegative() || healthInterval.isZero()) {
            throw new IllegalArgumentException("llmp.upstreams.health-interval must be positive, got " + healthInterval);
        }
        if (failureRateThreshold < 1 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("llmp.upstreams.failure-rate-threshold must be 1..100, got " + failureRateThreshold);
        }
        if (minimumCalls < 1) {
            throw new IllegalArgumentException("llmp.upstreams.minimum-calls must be ≥ 1, got " + minimumCalls);
        }
    }
}
