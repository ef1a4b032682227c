package dev.llmplatform.api.guardrails;

import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.audit.AuditStore;
import dev.llmplatform.guardrails.policy.PolicyLoader;
import dev.llmplatform.guardrails.policy.PolicySet;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The guardrails as beans: policies from {@code llmp.guardrails.policies-file} (the built-in ones when
 * unset; a bad file stops startup with a message naming the policy and key), auditing into the state
 * database's {@code guardrail_events} ({@code llmp.guardrails.audit.max-events}, {@code .max-age}), and the
 * {@link Guardrails} facade controllers call.
 */
@Configuration(proxyBeanMethods = false)
public class GuardrailsConfiguration {
    @Bean
    PolicySet guardrailsPolicies(@Value("${llmp.guardrails.policies-file:}") String file) {
        return file == null || file.isBlank() ? PolicyLoader.loadDefault() : PolicyLoader.load(Path.of(file));
    }

    /** The audit store is the state database's ({@code JdbcAuditStore}); an old JSONL trail is imported first. */
    @Bean
    @DependsOn("fileImport")
    Guardrails guardrails(PolicySet policies, AuditStore audit) {
        return Guardrails.withDefaultModels(policies, audit);
    }
}
