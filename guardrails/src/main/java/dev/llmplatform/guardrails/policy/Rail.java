package dev.llmplatform.guardrails.policy;

import java.util.Locale;

/** Where text meets the guardrails. */
public enum Rail {
    /** The caller's own messages. */
    INPUT,
    /** Text from elsewhere that enters a prompt: retrieved passages, tool results (indirect injection). */
    PASSAGE,
    /** The model's answer, whole or streamed. */
    OUTPUT;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
