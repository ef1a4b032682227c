package dev.llmplatform.guardrails;

import java.util.Locale;

/** What a policy does with a finding, in increasing severity. */
public enum Action {
    /** Nothing found (never configured, only a result). */
    ALLOW,
    /** Let the text through unchanged and audit the finding. */
    FLAG,
    /** Replace the finding by a typed placeholder such as {@code <EMAIL_1>}. */
    REDACT,
    /** Refuse the text. */
    BLOCK;

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Action max(Action a, Action b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
