package dev.llmplatform.engine.template.jinja;

/** An error the template raised on purpose with {@code raise_exception(message)}. */
public final class RaisedException extends TemplateRuntimeException {
    public RaisedException(String message) {
        super(message);
    }

    RaisedException(String message, int line) {
        super(message, line);
    }
}
