package dev.llmplatform.structured.regex;

/** A regular expression we cannot parse or cannot express as a grammar (lookaround, backreferences...). */
public final class RegexSyntaxException extends IllegalArgumentException {
    public RegexSyntaxException(String pattern, int offset, String message) {
        super("regex /" + pattern + "/ at offset " + offset + ": " + message);
    }
}
