package dev.llmplatform.api.guardrails;

import dev.llmplatform.guardrails.policy.PolicyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad guardrails policy file into Spring Boot's short startup report instead of a stack trace. */
public class PolicyFailureAnalyzer extends AbstractFailureAnalyzer<PolicyException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PolicyException cause) {
        return new FailureAnalysis("Guardrails configuration error: " + cause.getMessage(),
                "Fix the policies file named by llmp.guardrails.policies-file (schema: docs/guardrails.md).", cause);
    }
}
