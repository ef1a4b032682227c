package dev.llmplatform.guardrails;

import java.util.List;

/**
 * What a rail decided about a text: let it through, let through a redacted version, or block it.
 *
 * @param text the text to use downstream: the original, the redacted text, or {@code null} when blocked
 */
public record Decision(Action action, String text, List<Finding> findings) {
    public enum Action { ALLOW, REDACT, BLOCK }

    public Decision {
        findings = List.copyOf(findings);
        if ((action == Action.BLOCK) != (text == null)) {
            throw new IllegalArgumentException("a blocked decision has no text, any other has one");
        }
    }
}
