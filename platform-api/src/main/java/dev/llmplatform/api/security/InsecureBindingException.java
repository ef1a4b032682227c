package dev.llmplatform.api.security;

/** Startup refused by the {@link BindingRule}; the message is the one line a user sees. */
public class InsecureBindingException extends RuntimeException {
    public InsecureBindingException(String message) {
        super(message);
    }
}
