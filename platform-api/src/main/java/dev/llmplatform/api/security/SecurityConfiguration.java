package dev.llmplatform.api.security;

import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * API keys and the start-up decision about authentication: bootstrap admin key, the binding rule, and
 * saying in the log whether auth is on.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    @DependsOnDatabaseInitialization
    ApiKeyStore apiKeyStore(DataSource dataSource) {
        return new ApiKeyStore(dataSource, new ApiKeySecrets(new SecureRandom()), Clock.systemUTC());
    }

    @Bean
    AuthGate authGate(ApiKeyStore store, AuthProperties properties, Environment env) {
        String address = env.getProperty("server.address");
        String adminKey = bootstrapAdminKey(properties, env);
        if (properties.required() && adminKey == null && !store.hasActiveAdminKey()) {
            CreatedKey created = store.create(new NewKey("bootstrap admin", Role.ADMIN, null, null, null, null, null));
            // Printed once, to the console only (not the log, which may be shipped elsewhere); only its hash is kept.
            System.out.println("\nllmp: authentication is required and no admin key existed; created one (shown only now):\n\n    "
                    + created.secret() + "\n\n(id " + created.key().id() + "; revoke it with 'llmp keys revoke "
                    + created.key().id() + "')\n");
        }
        BindingRule.refusal(address, adminKey != null || store.hasActiveKeys()).ifPresent(reason -> {
            throw new InsecureBindingException(reason);
        });
        AuthGate gate = new AuthGate(store, adminKey, properties.required() || !BindingRule.isLoopback(address));
        if (gate.enabled()) {
            log.info("Authentication is ON: every route except {} needs an API key", properties.publicPaths());
        } else {
            log.warn("Authentication is OFF: listening on loopback ({}) and no API keys exist. Set LLMP_ADMIN_KEY or "
                    + "create a key (llmp keys create) to turn it on.", address);
        }
        return gate;
    }

    /** {@code llmp.auth.admin-key}, else the {@code LLMP_ADMIN_KEY} environment variable; null when neither is set. */
    static String bootstrapAdminKey(AuthProperties properties, Environment env) {
        String key = properties.adminKey();
        String source = "llmp.auth.admin-key";
        if (key == null || key.isBlank()) {
            key = env.getProperty("LLMP_ADMIN_KEY");
            source = "LLMP_ADMIN_KEY";
        }
        if (key == null || key.isBlank()) {
            return null;
        }
        key = key.trim();
        if (key.length() < AuthProperties.MIN_ADMIN_KEY_LENGTH) {
            throw new IllegalStateException(source + ": an admin key must be at least "
                    + AuthProperties.MIN_ADMIN_KEY_LENGTH + " characters (got " + key.length() + ")");
        }
        return key;
    }
}
