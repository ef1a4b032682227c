package dev.llmplatform.guardrails.policy;

/** A policy file that cannot be used; the message names the file, the policy and the key. */
public final class PolicyException extends RuntimeException {
    public PolicyException(String message) {
        super(message);
    }
}
