package dev.llmplatform.api.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code llmp.limits.*}: bounds on what one request may ask for.
 *
 * @param maxN         the largest {@code n} (choices per request) controllers accept
 * @param maxTokens    the largest {@code max_tokens} / {@code max_completion_tokens} controllers accept
 * @param maxBodyBytes the largest request body (JSON); bigger ones get 413 before anything parses them.
 *                     Multipart uploads are bounded by {@code spring.servlet.multipart.*} instead.
 */
@Validated
@ConfigurationProperties("llmp.limits")
public record LimitsProperties(
        @DefaultValue("8") @Min(1) @Max(128) int maxN,
        @DefaultValue("8192") @Positive int maxTokens,
        @DefaultValue("4194304") @Min(1024) long maxBodyBytes) {}
