package dev.llmplatform.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.api.ratelimit.RateLimitProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Configuration: environment variables bind as docs/configuration.md says; invalid values stop the start. */
class ConfigurationIT {
    @TempDir
    Path dir;

    @Test
    void environmentVariablesBindInBothSpellings() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("LLMP_LIMITS_MAX_TOKENS", "100", "LLMP_LIMITS_MAXN", "3",
                                "LLMP_RATE_LIMITS_REQUESTS_PER_MINUTE", "42", "LLMP_RATELIMITS_WINDOW", "30s")));
        Binder binder = Binder.get(env);
        LimitsProperties limits = binder.bindOrCreate("llmp.limits", LimitsProperties.class);
        assertThat(limits.maxTokens()).isEqualTo(100);
        assertThat(limits.maxN()).isEqualTo(3);
        assertThat(limits.maxBodyBytes()).isEqualTo(4 * 1024 * 1024);
        RateLimitProperties rates = binder.bindOrCreate("llmp.rate-limits", RateLimitProperties.class);
        assertThat(rates.requestsPerMinute()).isEqualTo(42);
        assertThat(rates.window()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void invalidValuesFailTheStartNamingTheProperty() {
        assertThatThrownBy(() -> PlatformApplication.start("--server.port=0", "--llmp.home=" + dir, "--llmp.limits.max-n=0"))
                .satisfies(e -> assertThat(messages(e)).contains("llmp.limits.max-n").contains("must be greater than or equal to 1"));
        assertThatThrownBy(() -> PlatformApplication.start("--server.port=0", "--llmp.home=" + dir,
                "--llmp.rate-limits.requests-per-minute=-5"))
                .satisfies(e -> assertThat(messages(e)).contains("llmp.rate-limits.requests-per-minute"));
        assertThatThrownBy(() -> PlatformApplication.start("--server.port=0", "--llmp.home=" + dir,
                "--LLMP_ADMIN_KEY=short"))
                .satisfies(e -> assertThat(messages(e)).contains("LLMP_ADMIN_KEY: an admin key must be at least 16 characters"));
        assertThatThrownBy(() -> PlatformApplication.start("--server.port=0", "--llmp.home=" + dir,
                "--llmp.rate-limits.shared=true"))
                .satisfies(e -> assertThat(messages(e)).contains("llmp.rate-limits.shared=true needs PostgreSQL"));
        assertThatThrownBy(() -> PlatformApplication.start("--server.port=0", "--llmp.home=" + dir,
                "--llmp.guardrails.audit.max-events=-1"))
                .satisfies(e -> assertThat(messages(e)).contains("llmp.guardrails.audit.max-events"));
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
