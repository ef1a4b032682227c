package dev.llmplatform.api.serving;

/** A configured model could not be loaded; the message names the model, its file and why. */
public final class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
