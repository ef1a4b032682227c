package dev.llmplatform.api.security;

/** A key specification that cannot be stored; {@link #param()} names the offending field (API spelling). */
public class InvalidKeyException extends IllegalArgumentException {
    private final String param;

    public InvalidKeyException(String param, String message) {
        super(param + ": " + message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
