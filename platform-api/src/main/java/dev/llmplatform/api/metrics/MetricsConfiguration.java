package dev.llmplatform.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {
    @Bean
    PlatformMetrics platformMetrics(MeterRegistry registry) {
        return new PlatformMetrics(registry);
    }
}
