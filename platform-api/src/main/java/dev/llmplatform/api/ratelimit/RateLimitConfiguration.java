package dev.llmplatform.api.ratelimit;

import dev.llmplatform.api.security.ApiKeyStore;
import io.github.bucket4j.TimeMeter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The per-key rate limiter and the usage recorder controllers call after generation. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {
    @Bean
    RateLimiter rateLimiter(RateLimitProperties properties) {
        return new RateLimiter(properties, TimeMeter.SYSTEM_NANOTIME);
    }

    @Bean
    UsageRecorder usageRecorder(RateLimiter limiter, ApiKeyStore store) {
        return new UsageRecorder(limiter, store);
    }
}
