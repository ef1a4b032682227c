package dev.llmplatform.engine.template.jinja;

/**
 * A template that cannot be compiled or rendered. {@link #line()} and {@link #column()} are 1-based
 * positions in the template source, or 0 when the failure has no position (e.g. an error raised by a
 * value deep inside a filter).
 */
public class TemplateException extends RuntimeException {
    private final String reason;
    private final int line;
    private final int column;

    public TemplateException(String reason, int line, int column) {
        super(reason);
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /** The failure without its position. */
    public String reason() {
        return reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
