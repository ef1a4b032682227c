package dev.llmplatform.engine.template.jinja;

/** A template that does not parse; the message names the line and column. */
public final class TemplateSyntaxException extends TemplateException {
    public TemplateSyntaxException(String reason, int line, int column) {
        super(reason, line, column);
    }

    @Override
    public String getMessage() {
        return reason() + " (line " + line() + ", column " + column() + ")";
    }
}
