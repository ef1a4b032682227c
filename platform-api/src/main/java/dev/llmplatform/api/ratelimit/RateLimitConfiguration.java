package dev.llmplatform.api.ratelimit;

import dev.llmplatform.api.security.ApiKeyStore;
import io.github.bucket4j.TimeMeter;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The per-key rate limiter and the usage recorder controllers call after generation. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {
    /**
     * Buckets in memory, or with {@code llmp.rate-limits.shared=true} in the PostgreSQL state database, so
     * that several API nodes enforce one limit per key. The embedded H2 file is one process's database, so
     * sharing through it is refused at startup.
     */
    @Bean
    @DependsOnDatabaseInitialization
    RateLimiter rateLimiter(RateLimitProperties properties, @Value("${llmp.rate-limits.shared:false}") boolean shared,
                            DataSource dataSource, Environment env) {
        if (!shared) {
            return new RateLimiter(properties, TimeMeter.SYSTEM_NANOTIME);
        }
        String url = env.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("llmp.rate-limits.shared=true needs PostgreSQL as the state database "
                    + "(spring.datasource.url=jdbc:postgresql://HOST/DB); the embedded database belongs to one process");
        }
        return new RateLimiter(properties, new SharedBuckets(dataSource));
    }

    @Bean
    UsageRecorder usageRecorder(RateLimiter limiter, ApiKeyStore store) {
        return new UsageRecorder(limiter, store);
    }
}
