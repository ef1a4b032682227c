package dev.llmplatform.guardrails.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The detectors a policy can switch on per rail, by their YAML names. */
public enum DetectorName {
    INVISIBLE, PII, SECRETS, INJECTION, INJECTION_CLASSIFIER, TOPICS, DENY_LIST, SYSTEM_PROMPT_LEAK;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it needs the sentence encoder. */
    public boolean usesEmbeddings() {
        return this == INJECTION_CLASSIFIER || this == TOPICS;
    }

    static DetectorName parse(String s) {
        for (DetectorName d : values()) {
            if (d.key().equals(s)) {
                return d;
            }
        }
        return null;
    }

    static String choices() {
        return Arrays.stream(values()).map(DetectorName::key).collect(Collectors.joining(", "));
    }
}
