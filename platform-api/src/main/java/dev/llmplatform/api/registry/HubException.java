package dev.llmplatform.api.registry;

/** A pull that cannot succeed as asked; the message is meant for the user as it is. */
public final class HubException extends RuntimeException {
    /** Why, so the REST layer and the CLI can tell a user's mistake from a transient failure. */
    public enum Kind {
        /** 401: private, gated or non-existent repository without a (valid) token. */
        UNAUTHORIZED,
        /** 403: the token has no access (gated repository whose terms are not accepted). */
        FORBIDDEN,
        /** 404: no such repository, file or quantization. */
        NOT_FOUND,
        /** Several files match; the user must name one. */
        AMBIGUOUS,
        /** The file is not GGUF. */
        NOT_GGUF,
        /** The bytes do not hash to what the hub reported. */
        CHECKSUM_MISMATCH,
        /** Another pull holds the same file. */
        IN_PROGRESS,
        /** The model is already in the registry with different content. */
        CONFLICT,
        /** Network failure or unexpected answer from the hub. */
        TRANSFER
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
