package dev.llmplatform.structured.gbnf;

import dev.llmplatform.structured.gbnf.GrammarExpr.Alternation;
import dev.llmplatform.structured.gbnf.GrammarExpr.AnyChar;
import dev.llmplatform.structured.gbnf.GrammarExpr.CharClass;
import dev.llmplatform.structured.gbnf.GrammarExpr.Literal;
import dev.llmplatform.structured.gbnf.GrammarExpr.Repeat;
import dev.llmplatform.structured.gbnf.GrammarExpr.RuleRef;
import dev.llmplatform.structured.gbnf.GrammarExpr.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for llama.cpp's GBNF: {@code name ::= alternatives}, one rule per line (newlines are allowed
 * after {@code ::=}, after {@code |} and inside parentheses, as in llama.cpp), string literals,
 * character classes with ranges and {@code ^}, {@code .}, grouping, {@code * + ?}, {@code {m}},
 * {@code {m,}}, {@code {m,n}}, and {@code #} comments. Escapes: {@code \x.. \\u.... \U........ \n \t
 * \r \\ \" \[ \] \-}. A rule may be defined more than once; the definitions become alternatives.
 */
public final class GbnfParser {
    private final String src;
    private int pos;
    private final Map<String, GrammarExpr> rules = new LinkedHashMap<>();
    /** Offset of each rule name's first reference; line and column are counted only for an error. */
    private final Map<String, Integer> firstReference = new LinkedHashMap<>();

    public GbnfParser(String src) {
        this.src = src;
    }

    public Grammar parse(String root) {
        skipSpace(true);
        while (pos < src.length()) {
            parseRule();
            skipSpace(true);
        }
        for (Map.Entry<String, Integer> ref : firstReference.entrySet()) {
            if (!rules.containsKey(ref.getKey())) {
                int at = ref.getValue();
                throw new GbnfSyntaxException("undefined rule '" + ref.getKey() + "'", lineOf(at), columnOf(at));
            }
        }
        if (!rules.containsKey(root)) {
            throw new GbnfSyntaxException("grammar does not define the start rule '" + root + "'");
        }
        return new Grammar(rules, root);
    }

    private void parseRule() {
        String name = parseName("rule name");
        skipSpace(false);
        if (!src.startsWith("::=", pos)) {
            throw error("expected '::=' after rule name '" + name + "'");
        }
        pos += 3;
        skipSpace(true);
        GrammarExpr body = parseAlternatives(false);
        rules.merge(name, body, (a, b) -> new Alternation(List.of(a, b)));
        skipSpace(false);
        if (pos < src.length()) {
            char c = src.charAt(pos);
            if (c != '\n' && c != '\r') {
                throw error("unexpected '" + c + "' (expected end of line after rule '" + name + "')");
            }
        }
    }

    private GrammarExpr parseAlternatives(boolean nested) {
        List<GrammarExpr> options = new ArrayList<>();
        options.add(parseSequence(nested));
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            skipSpace(true);
            options.add(parseSequence(nested));
        }
        return options.size() == 1 ? options.getFirst() : new Alternation(options);
    }

    private GrammarExpr parseSequence(boolean nested) {
        List<GrammarExpr> items = new ArrayList<>();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            GrammarExpr item;
            if (c == '"') {
                item = parseLiteral();
            } else if (c == '[') {
                item = parseCharClass();
            } else if (c == '.') {
                pos++;
                item = new AnyChar();
            } else if (c == '(') {
                pos++;
                skipSpace(true);
                item = parseAlternatives(true);
                skipSpace(true);
                if (pos >= src.length() || src.charAt(pos) != ')') {
                    throw error("expected ')'");
                }
                pos++;
            } else if (isNameChar(c)) {
                int at = pos;
                String name = parseName("rule reference");
                firstReference.putIfAbsent(name, at);
                item = new RuleRef(name);
            } else {
                break;
            }
            skipSpace(nested);
            item = parseRepetitions(item, nested);
            items.add(item);
        }
        if (pos < src.length()) {
            char c = src.charAt(pos);
            boolean end = c == '|' || c == '\n' || c == '\r' || (c == ')' && nested);
            if (!end) {
                throw error(c == ')' ? "unmatched ')'" : "unexpected '" + c + "'");
            }
        }
        return items.size() == 1 ? items.getFirst() : new Sequence(items);
    }

    private GrammarExpr parseRepetitions(GrammarExpr item, boolean nested) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '*') {
                item = new Repeat(item, 0, Repeat.UNBOUNDED);
                pos++;
            } else if (c == '+') {
                item = new Repeat(item, 1, Repeat.UNBOUNDED);
                pos++;
            } else if (c == '?') {
                item = new Repeat(item, 0, 1);
                pos++;
            } else if (c == '{') {
                pos++;
                skipSpace(nested);
                int min = parseInt();
                int max = min;
                skipSpace(nested);
                if (pos < src.length() && src.charAt(pos) == ',') {
                    pos++;
                    skipSpace(nested);
                    max = pos < src.length() && Character.isDigit(src.charAt(pos)) ? parseInt() : Repeat.UNBOUNDED;
                    skipSpace(nested);
                }
                if (pos >= src.length() || src.charAt(pos) != '}') {
                    throw error("expected '}' to close repetition");
                }
                if (max != Repeat.UNBOUNDED && max < min) {
                    throw error("repetition {" + min + "," + max + "} has max < min");
                }
                pos++;
                item = new Repeat(item, min, max);
            } else {
                break;
            }
            skipSpace(nested);
        }
        return item;
    }

    private int parseInt() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number in repetition");
        }
        try {
            return Integer.parseInt(src.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("repetition count too large");
        }
    }

    private GrammarExpr parseLiteral() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                pos = start;
                throw error("unterminated string literal");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\n' || c == '\r') {
                pos = start;
                throw error("unterminated string literal");
            }
            sb.appendCodePoint(parseChar());
        }
        return new Literal(sb.toString());
    }

    private GrammarExpr parseCharClass() {
        int start = pos;
        pos++;
        boolean negated = false;
        if (pos < src.length() && src.charAt(pos) == '^') {
            negated = true;
            pos++;
        }
        List<int[]> ranges = new ArrayList<>();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                pos = start;
                throw error("unterminated character class");
            }
            if (src.charAt(pos) == ']') {
                pos++;
                break;
            }
            int lo = parseChar();
            int hi = lo;
            if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                pos++;
                hi = parseChar();
                if (hi < lo) {
                    throw error("character range is out of order");
                }
            }
            ranges.add(new int[] {lo, hi});
        }
        int[] flat = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            flat[2 * i] = ranges.get(i)[0];
            flat[2 * i + 1] = ranges.get(i)[1];
        }
        return new CharClass(flat, negated);
    }

    /** One (possibly escaped) code point of a literal or class. */
    private int parseChar() {
        char c = src.charAt(pos);
        if (c != '\\') {
            int cp = src.codePointAt(pos);
            pos += Character.charCount(cp);
            return cp;
        }
        if (pos + 1 >= src.length()) {
            throw error("dangling '\\'");
        }
        char e = src.charAt(pos + 1);
        int escStart = pos;
        pos += 2;
        return switch (e) {
            case 'x' -> parseHex(2, escStart);
            case 'u' -> parseHex(4, escStart);
            case 'U' -> parseHex(8, escStart);
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '\\', '"', '[', ']', '-', '^' -> e;
            default -> {
                pos = escStart;
                throw error("unknown escape '\\" + e + "'");
            }
        };
    }

    private int parseHex(int digits, int escStart) {
        int value = 0;
        for (int i = 0; i < digits; i++) {
            int d = pos < src.length() ? Character.digit(src.charAt(pos), 16) : -1;
            if (d < 0) {
                pos = escStart;
                throw error("expected " + digits + " hex digits in escape");
            }
            value = value * 16 + d;
            pos++;
        }
        if (value > Character.MAX_CODE_POINT || value < 0) {
            pos = escStart;
            throw error("code point out of range");
        }
        return value;
    }

    private String parseName(String what) {
        int start = pos;
        while (pos < src.length() && isNameChar(src.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected " + what);
        }
        return src.substring(start, pos);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** Skips blanks and comments; newlines only when {@code newlineOk}. */
    private void skipSpace(boolean newlineOk) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || ((c == '\n' || c == '\r') && newlineOk)) {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    pos++;
                }
            } else {
                break;
            }
        }
    }

    private GbnfSyntaxException error(String message) {
        return new GbnfSyntaxException(message, lineOf(pos), columnOf(pos));
    }

    private int lineOf(int at) {
        int line = 1;
        for (int i = 0; i < at && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private int columnOf(int at) {
        int col = 1;
        for (int i = Math.min(at, src.length()) - 1; i >= 0 && src.charAt(i) != '\n'; i--) {
            col++;
        }
        return col;
    }
}
