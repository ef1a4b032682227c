package dev.llmplatform.api.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code llmp.auth.*}.
 *
 * @param required    turn authentication on even on loopback; with no admin key yet, one is generated and
 *                    printed once at start
 * @param adminKey    a bootstrap admin key (also read from {@code LLMP_ADMIN_KEY}); setting it turns auth on
 * @param publicPaths path patterns anyone may request when auth is on (health, console assets, API docs)
 */
@Validated
@ConfigurationProperties("llmp.auth")
public record AuthProperties(
        @DefaultValue("false") boolean required,
        String adminKey,
        @DefaultValue({"/actuator/health", "/actuator/health/**", "/admin", "/admin/**", "/docs", "/docs/**",
                "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**"}) List<String> publicPaths) {

    /** Keys shorter than this are refused: a bootstrap admin key must not be guessable. */
    public static final int MIN_ADMIN_KEY_LENGTH = 16;

    public AuthProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
    }
}
