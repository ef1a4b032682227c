package dev.llmplatform.engine.template;

/**
 * A chat template that does not compile or render. For an error the template raises itself
 * ({@code raise_exception("System role not supported")}) the message is that text, verbatim; for a
 * syntax error the message ends with the line and column, also available from {@link #line()} and
 * {@link #column()} (0 when unknown).
 */
public final class ChatTemplateException extends RuntimeException {
    private final int line;
    private final int column;
    private final boolean raisedByTemplate;

    public ChatTemplateException(String message, int line, int column, boolean raisedByTemplate, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
        this.raisedByTemplate = raisedByTemplate;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** True when the template itself refused the conversation with {@code raise_exception}. */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
