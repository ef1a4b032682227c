package dev.llmplatform.api.cli;

import dev.llmplatform.guardrails.policy.PolicyLoader;
import dev.llmplatform.guardrails.policy.PolicySet;
import java.nio.file.Path;

/** What the guardrails commands share: where policies come from. */
final class GuardrailsCliSupport {
    private GuardrailsCliSupport() {
    }

    /** The policies in {@code file}, or the built-in ones when it is {@code null}. */
    static PolicySet policies(Path file) {
        return file == null ? PolicyLoader.loadDefault() : PolicyLoader.load(file);
    }

    static String pct(double v) {
        return "%.1f %%".formatted(100 * v);
    }
}
