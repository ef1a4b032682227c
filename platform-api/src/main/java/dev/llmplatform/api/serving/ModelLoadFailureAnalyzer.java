package dev.llmplatform.api.serving;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Startup that fails on a model file reports one line naming it, not a stack trace. */
public final class ModelLoadFailureAnalyzer extends AbstractFailureAnalyzer<ModelLoadException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ModelLoadException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix or remove the model in the configuration (llmp.models) or on the command line (--model).", cause);
    }
}
