package dev.llmplatform.api.guardrails;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.audit.AuditStore;
import dev.llmplatform.guardrails.audit.JsonlAuditStore;
import dev.llmplatform.guardrails.policy.PolicyLoader;
import dev.llmplatform.guardrails.policy.PolicySet;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The guardrails as beans: policies from {@code llmp.guardrails.policies-file} (the built-in ones when
 * unset; a bad file stops startup with a message naming the policy and key), the audit trail under
 * {@code <data home>/audit}, and the {@link Guardrails} facade controllers call.
 */
@Configuration(proxyBeanMethods = false)
public class GuardrailsConfiguration {
    @Bean
    PolicySet guardrailsPolicies(@Value("${llmp.guardrails.policies-file:}") String file) {
        return file == null || file.isBlank() ? PolicyLoader.loadDefault() : PolicyLoader.load(Path.of(file));
    }

    @Bean(destroyMethod = "close")
    AuditStore guardrailsAuditStore(DataHome home,
                                    @Value("${llmp.guardrails.audit.max-file-mb:10}") int maxFileMb,
                                    @Value("${llmp.guardrails.audit.max-files:10}") int maxFiles) {
        return new JsonlAuditStore(home.dir("audit"), (long) maxFileMb << 20, maxFiles);
    }

    @Bean
    Guardrails guardrails(PolicySet policies, AuditStore audit) {
        return Guardrails.withDefaultModels(policies, audit);
    }
}
