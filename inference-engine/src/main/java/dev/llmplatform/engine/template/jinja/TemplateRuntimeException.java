package dev.llmplatform.engine.template.jinja;

/**
 * A failure while rendering: an undefined value used where a value is needed, a type error, or an
 * error the template raised itself. The message is Jinja's reason, verbatim, so a template's own
 * {@code raise_exception("...")} text reaches the caller unchanged; the position is kept separately.
 */
public class TemplateRuntimeException extends TemplateException {
    public TemplateRuntimeException(String reason) {
        super(reason, 0, 0);
    }

    public TemplateRuntimeException(String reason, int line) {
        super(reason, line, 0);
    }

    /** The same failure, located at {@code line} if it had no position yet. */
    TemplateRuntimeException at(int line) {
        if (line() != 0 || line == 0) {
            return this;
        }
        TemplateRuntimeException located = this instanceof RaisedException
                ? new RaisedException(reason(), line) : new TemplateRuntimeException(reason(), line);
        located.setStackTrace(getStackTrace());
        return located;
    }
}
