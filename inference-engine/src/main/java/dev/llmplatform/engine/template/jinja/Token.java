package dev.llmplatform.engine.template.jinja;

/**
 * One lexical token. {@code text} is the literal text for TEXT, the unescaped value for STRING, the
 * spelling for the rest. Positions are 1-based.
 */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { TEXT, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind k, String s) {
        return kind == k && text.equals(s);
    }

    boolean isName(String s) {
        return is(Kind.NAME, s);
    }

    boolean isOperator(String s) {
        return is(Kind.OPERATOR, s);
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of template";
            case VARIABLE_BEGIN -> "begin of print statement";
            case VARIABLE_END -> "end of print statement";
            case BLOCK_BEGIN -> "begin of statement block";
            case BLOCK_END -> "end of statement block";
            case STRING -> "string";
            default -> "'" + text + "'";
        };
    }
}
