package dev.llmplatform.api.config;

import dev.llmplatform.api.registry.HubClient;
import dev.llmplatform.api.registry.ModelFileStore;
import dev.llmplatform.api.registry.ModelPuller;
import dev.llmplatform.api.registry.ModelRegistry;
import dev.llmplatform.api.registry.PullJobs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The model registry under the data home and background pulls from the hub. The hub's base URL is
 * {@code llmp.hub.endpoint}, else {@code HF_ENDPOINT}, else huggingface.co; its token
 * {@code llmp.hub.token}, else {@code HF_TOKEN}.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {
    /** Hashes and origins in the state database ({@code model_files}); old sidecar files are imported first. */
    @Bean
    @DependsOn("fileImport")
    ModelRegistry modelRegistry(DataHome dataHome, ModelFileStore files) {
        return new ModelRegistry(dataHome.models(), files);
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
