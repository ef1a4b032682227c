package dev.llmplatform.guardrails;

import java.util.List;

/**
 * What a rail decided about a text.
 *
 * @param action          the strongest action any finding called for ({@link Action#ALLOW} when none)
 * @param text            the text to use downstream: normalised (invisible characters removed), with
 *                        placeholders where findings were redacted; {@code null} when blocked
 * @param findings        every finding that passed its threshold, in the coordinates of the normalised text
 * @param blockedCategory the category that blocked the text, or {@code null}; safe to show to the caller
 */
public record Decision(Action action, String text, List<Finding> findings, String blockedCategory) {
    public Decision {
        findings = List.copyOf(findings);
        if ((action == Action.BLOCK) != (text == null)) {
            throw new IllegalArgumentException("a blocked decision has no text, any other has one");
        }
        if ((action == Action.BLOCK) != (blockedCategory != null)) {
            throw new IllegalArgumentException("a blocked decision names its category, any other does not");
        }
    }

    public boolean blocked() {
        return action == Action.BLOCK;
    }

    /** A message for the caller that names the category and never echoes the matched text. */
    public String blockMessage() {
        return blocked() ? "The request was blocked by the guardrails policy (category: " + blockedCategory + ")" : null;
    }
}
