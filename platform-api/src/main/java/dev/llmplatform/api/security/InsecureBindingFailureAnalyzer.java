package dev.llmplatform.api.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a refused binding as its one line instead of a stack trace. */
class InsecureBindingFailureAnalyzer extends AbstractFailureAnalyzer<InsecureBindingException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InsecureBindingException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Configure an API key (LLMP_ADMIN_KEY) or bind to a loopback address (--host 127.0.0.1).", cause);
    }
}
