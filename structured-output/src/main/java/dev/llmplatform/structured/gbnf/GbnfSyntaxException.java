package dev.llmplatform.structured.gbnf;

/** A GBNF grammar that cannot be parsed; the message names the 1-based line and column. */
public final class GbnfSyntaxException extends IllegalArgumentException {
    private final int line;
    private final int column;

    public GbnfSyntaxException(String message, int line, int column) {
        super("GBNF error at line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public GbnfSyntaxException(String message) {
        super("GBNF error: " + message);
        this.line = 0;
        this.column = 0;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
