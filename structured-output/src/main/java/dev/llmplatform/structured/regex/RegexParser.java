package dev.llmplatform.structured.regex;

import dev.llmplatform.structured.gbnf.GrammarExpr;
import dev.llmplatform.structured.gbnf.GrammarExpr.Alternation;
import dev.llmplatform.structured.gbnf.GrammarExpr.CharClass;
import dev.llmplatform.structured.gbnf.GrammarExpr.Literal;
import dev.llmplatform.structured.gbnf.GrammarExpr.Repeat;
import dev.llmplatform.structured.gbnf.GrammarExpr.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an ECMAScript-style regular expression (the dialect of JSON Schema's {@code pattern}) into a
 * {@link GrammarExpr} over code points. Supported: literals, {@code .}, classes with ranges/negation,
 * {@code \d \D \w \W \s \S}, escapes ({@code \n \t \r \f \v \0 \xHH \\uHHHH \\u{H...}} and escaped
 * punctuation), groups ({@code (...)}, {@code (?:...)}, {@code (?<name>...)}), alternation, greedy and
 * lazy quantifiers, and {@code ^}/{@code $} at the start/end of a top-level alternative. Lookaround,
 * backreferences and {@code \b} cannot be expressed by a context-free grammar and are rejected.
 *
 * <p>The result says whether each top-level alternative was anchored; {@link #parse} returns the
 * language of whole strings matching the regex the way JSON Schema applies it (unanchored sides may
 * be surrounded by anything).
 */
public final class RegexParser {
    private static final int[] DIGIT = {'0', '9'};
    private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    private static final int[] SPACE = {'\t', '\r', ' ', ' ', 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A,
        0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF};
    private static final int[] LINE_TERMINATORS = {'\n', '\n', '\r', '\r', 0x2028, 0x2029};

    private final String re;
    private int pos;

    private RegexParser(String re) {
        this.re = re;
    }

    /**
     * The set of whole strings that {@code pattern} matches somewhere (JSON Schema semantics: the
     * pattern is unanchored unless it uses {@code ^}/{@code $}).
     */
    public static GrammarExpr parseSearch(String pattern) {
        return new RegexParser(pattern).top(true);
    }

    /** The set of strings {@code pattern} matches in full (as if wrapped in {@code ^(...)$}). */
    public static GrammarExpr parseFull(String pattern) {
        return new RegexParser(pattern).top(false);
    }

    private GrammarExpr top(boolean search) {
        List<GrammarExpr> options = new ArrayList<>();
        while (true) {
            boolean start = false;
            if (pos < re.length() && re.charAt(pos) == '^') {
                start = true;
                pos++;
            }
            List<GrammarExpr> items = sequenceItems(true);
            boolean end = false;
            if (pos < re.length() && re.charAt(pos) == '$') {
                end = true;
                pos++;
                if (pos < re.length() && re.charAt(pos) != '|') {
                    throw error("'$' is only supported at the end of the pattern or of a top-level alternative");
                }
            }
            GrammarExpr any = new Repeat(new CharClass(new int[0], true), 0, Repeat.UNBOUNDED);
            List<GrammarExpr> seq = new ArrayList<>();
            if (search && !start) {
                seq.add(any);
            }
            seq.addAll(items);
            if (search && !end) {
                seq.add(any);
            }
            options.add(seq.size() == 1 ? seq.getFirst() : new Sequence(seq));
            if (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
            } else {
                break;
            }
        }
        if (pos < re.length()) {
            throw error("unmatched ')'");
        }
        return options.size() == 1 ? options.getFirst() : new Alternation(options);
    }

    private GrammarExpr alternatives() {
        List<GrammarExpr> options = new ArrayList<>();
        List<GrammarExpr> first = sequenceItems(false);
        options.add(seq(first));
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            options.add(seq(sequenceItems(false)));
        }
        return options.size() == 1 ? options.getFirst() : new Alternation(options);
    }

    private static GrammarExpr seq(List<GrammarExpr> items) {
        return items.size() == 1 ? items.getFirst() : new Sequence(items);
    }

    private List<GrammarExpr> sequenceItems(boolean topLevel) {
        List<GrammarExpr> items = new ArrayList<>();
        while (pos < re.length()) {
            char c = re.charAt(pos);
            if (c == '|' || c == ')') {
                break;
            }
            if (c == '$' && topLevel) {
                break;
            }
            if (c == '^' || c == '$') {
                throw error("anchor '" + c + "' inside a group is not supported");
            }
            GrammarExpr atom = atom();
            items.add(quantifiers(atom));
        }
        return items;
    }

    private GrammarExpr quantifiers(GrammarExpr atom) {
        while (pos < re.length()) {
            char c = re.charAt(pos);
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = Repeat.UNBOUNDED;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = Repeat.UNBOUNDED;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{' && isQuantifierBrace()) {
                pos++;
                min = number();
                max = min;
                if (re.charAt(pos) == ',') {
                    pos++;
                    max = re.charAt(pos) == '}' ? Repeat.UNBOUNDED : number();
                }
                pos++; // '}'
                if (max != Repeat.UNBOUNDED && max < min) {
                    throw error("quantifier {" + min + "," + max + "} out of order");
                }
            } else {
                break;
            }
            if (pos < re.length() && re.charAt(pos) == '?') {
                pos++; // lazy: same language
            }
            atom = new Repeat(atom, min, max);
        }
        return atom;
    }

    private boolean isQuantifierBrace() {
        int p = pos + 1;
        int digits = 0;
        while (p < re.length() && Character.isDigit(re.charAt(p))) {
            p++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (p < re.length() && re.charAt(p) == ',') {
            p++;
            while (p < re.length() && Character.isDigit(re.charAt(p))) {
                p++;
            }
        }
        return p < re.length() && re.charAt(p) == '}';
    }

    private int number() {
        int start = pos;
        while (pos < re.length() && Character.isDigit(re.charAt(pos))) {
            pos++;
        }
        try {
            return Integer.parseInt(re.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("quantifier count too large");
        }
    }

    private GrammarExpr atom() {
        char c = re.charAt(pos);
        switch (c) {
            case '(' -> {
                pos++;
                if (re.startsWith("?:", pos)) {
                    pos += 2;
                } else if (re.startsWith("?<", pos) && !re.startsWith("?<=", pos) && !re.startsWith("?<!", pos)) {
                    int close = re.indexOf('>', pos);
                    if (close < 0) {
                        throw error("unterminated group name");
                    }
                    pos = close + 1;
                } else if (re.startsWith("?", pos)) {
                    throw error("lookaround and other (?...) groups cannot be expressed as a grammar");
                }
                GrammarExpr inner = alternatives();
                if (pos >= re.length() || re.charAt(pos) != ')') {
                    throw error("missing ')'");
                }
                pos++;
                return inner;
            }
            case '[' -> {
                return charClass();
            }
            case '.' -> {
                pos++;
                return new CharClass(LINE_TERMINATORS, true);
            }
            case '\\' -> {
                return escapeAtom();
            }
            case '*', '+', '?' -> throw error("nothing to repeat");
            default -> {
                int cp = re.codePointAt(pos);
                pos += Character.charCount(cp);
                return new Literal(new String(Character.toChars(cp)));
            }
        }
    }

    private GrammarExpr escapeAtom() {
        pos++;
        if (pos >= re.length()) {
            throw error("trailing '\\'");
        }
        char e = re.charAt(pos);
        int[] cls = classEscape(e);
        if (cls != null) {
            pos++;
            return new CharClass(cls, Character.isUpperCase(e));
        }
        if (e == 'b' || e == 'B') {
            throw error("word boundary \\" + e + " cannot be expressed as a grammar");
        }
        if (e >= '1' && e <= '9') {
            throw error("backreferences cannot be expressed as a grammar");
        }
        int cp = escapedChar();
        return new Literal(new String(Character.toChars(cp)));
    }

    private static int[] classEscape(char e) {
        return switch (e) {
            case 'd', 'D' -> DIGIT;
            case 'w', 'W' -> WORD;
            case 's', 'S' -> SPACE;
            default -> null;
        };
    }

    /** After '\\': a single escaped code point. */
    private int escapedChar() {
        char e = re.charAt(pos++);
        return switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case 'v' -> 0x0B;
            case '0' -> 0;
            case 'x' -> hex(2);
            case 'u' -> {
                if (pos < re.length() && re.charAt(pos) == '{') {
                    int close = re.indexOf('}', pos);
                    if (close < 0) {
                        throw error("unterminated \\u{...}");
                    }
                    int v = Integer.parseInt(re.substring(pos + 1, close), 16);
                    pos = close + 1;
                    yield v;
                }
                yield hex(4);
            }
            case 'c' -> {
                if (pos >= re.length()) {
                    throw error("bad \\c escape");
                }
                yield re.charAt(pos++) % 32;
            }
            default -> {
                if (Character.isLetterOrDigit(e)) {
                    pos--;
                    throw error("unknown escape '\\" + e + "'");
                }
                yield e;
            }
        };
    }

    private int hex(int n) {
        if (pos + n > re.length()) {
            throw error("bad hex escape");
        }
        try {
            int v = Integer.parseInt(re.substring(pos, pos + n), 16);
            pos += n;
            return v;
        } catch (NumberFormatException ex) {
            throw error("bad hex escape");
        }
    }

    private GrammarExpr charClass() {
        int start = pos;
        pos++;
        boolean negated = false;
        if (pos < re.length() && re.charAt(pos) == '^') {
            negated = true;
            pos++;
        }
        List<Integer> ranges = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (pos >= re.length()) {
                pos = start;
                throw error("unterminated character class");
            }
            char c = re.charAt(pos);
            if (c == ']' && !first) {
                pos++;
                break;
            }
            if (c == ']') { // "[]" matches nothing in ECMAScript; "[^]" anything
                pos++;
                break;
            }
            first = false;
            int lo;
            if (c == '\\') {
                pos++;
                if (pos >= re.length()) {
                    throw error("trailing '\\'");
                }
                char e = re.charAt(pos);
                int[] cls = classEscape(e);
                if (cls != null) {
                    pos++;
                    int[] set = Character.isUpperCase(e)
                            ? dev.llmplatform.structured.gbnf.CodePointSets.normalize(cls, true) : cls;
                    for (int v : set) {
                        ranges.add(v);
                    }
                    continue;
                }
                if (e == 'b') {
                    pos++;
                    lo = 8; // backspace inside a class
                } else {
                    lo = escapedChar();
                }
            } else {
                lo = re.codePointAt(pos);
                pos += Character.charCount(lo);
            }
            int hi = lo;
            if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                char h = re.charAt(pos);
                if (h == '\\') {
                    pos++;
                    if (classEscape(re.charAt(pos)) != null) {
                        throw error("a class escape cannot end a range");
                    }
                    hi = escapedChar();
                } else {
                    hi = re.codePointAt(pos);
                    pos += Character.charCount(hi);
                }
                if (hi < lo) {
                    throw error("range out of order in character class");
                }
            }
            ranges.add(lo);
            ranges.add(hi);
        }
        return new CharClass(ranges.stream().mapToInt(Integer::intValue).toArray(), negated);
    }

    private RegexSyntaxException error(String message) {
        return new RegexSyntaxException(re, pos, message);
    }
}
