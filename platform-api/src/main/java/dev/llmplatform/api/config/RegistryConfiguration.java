package dev.llmplatform.api.config;

import dev.llmplatform.api.registry.HubClient;
import dev.llmplatform.api.registry.ModelPuller;
import dev.llmplatform.api.registry.ModelRegistry;
import dev.llmplatform.api.registry.PullJobs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The model registry under the data home and background pulls from the hub. The hub's base URL is
 * {@code llmp.hub.endpoint}, else {@code HF_ENDPOINT}, else huggingface.co; its token
 * {@code llmp.hub.token}, else {@code HF_TOKEN}.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {
    @Bean
    ModelRegistry modelRegistry(DataHome dataHome) {
        return new ModelRegistry(dataHome.models());
    }

    @Bean
    HubClient hubClient(@Value("${llmp.hub.endpoint:}") String endpoint, @Value("${llmp.hub.token:}") String token) {
        return HubClient.fromEnvironment(endpoint, token);
    }

    @Bean(destroyMethod = "close")
    PullJobs pullJobs(HubClient hub, ModelRegistry registry, @Value("${llmp.hub.concurrent-pulls:2}") int concurrentPulls) {
        if (concurrentPulls < 1) {
            throw new IllegalArgumentException("llmp.hub.concurrent-pulls must be at least 1 (got " + concurrentPulls + ")");
        }
        return new PullJobs(new ModelPuller(hub, registry), concurrentPulls);
    }
}
