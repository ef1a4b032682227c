package dev.llmplatform.api.http;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code llmp.cors.*}: which browser origins may call the API. Empty (the default) = no cross-origin access.
 *
 * @param allowedOrigins origins or origin patterns, e.g. {@code https://app.example.com}, {@code https://*.example.com}
 */
@Validated
@ConfigurationProperties("llmp.cors")
public record CorsProperties(
        @DefaultValue({}) List<String> allowedOrigins,
        @DefaultValue({"GET", "POST", "DELETE", "OPTIONS"}) List<String> allowedMethods,
        @DefaultValue({"Authorization", "X-Api-Key", "Content-Type", "X-Request-Id"}) List<String> allowedHeaders,
        @DefaultValue("1h") Duration maxAge) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
        allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
    }
}
