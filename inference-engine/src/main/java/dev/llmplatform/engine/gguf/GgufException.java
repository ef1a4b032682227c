package dev.llmplatform.engine.gguf;

/** A GGUF file that cannot be read: truncated, corrupted, or of an unsupported version. */
public class GgufException extends RuntimeException {
    public GgufException(String message) {
        super(message);
    }

    public GgufException(String message, Throwable cause) {
        super(message, cause);
    }
}
