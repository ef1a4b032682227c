package dev.llmplatform.engine.template.jinja;

import dev.llmplatform.engine.template.jinja.Token.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits template source into tokens the way Jinja2's lexer does, including its whitespace rules:
 *
 * <ul>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} strip all whitespace before the tag; {@code -%}},
 *       {@code -}}}, {@code -#}} all whitespace after it.</li>
 *   <li>{@code trim_blocks}: the first newline after a block or comment tag is removed
 *       ({@code +%}} keeps it).</li>
 *   <li>{@code lstrip_blocks}: spaces and tabs from the start of a line up to a block or comment tag
 *       are removed ({@code {%+} keeps them); never before {@code {{}.</li>
 *   <li>Newlines are normalised to {@code \n} and one trailing newline of the source is dropped
 *       ({@code keep_trailing_newline=False}).</li>
 * </ul>
 *
 * Inside a tag, the closing delimiter only counts outside brackets, so {@code {{ {'a': {'b': 1}} }}}
 * lexes as Jinja's does.
 */
final class Lexer {
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "{", "}", "=", "<", ">",
    };

    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%[-+]?\\s*raw\\s*(-?)%}");
    private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*([-+]?)%}");

    private final String src;
    private final boolean trimBlocks;
    private final boolean lstripBlocks;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private Lexer(String source, boolean trimBlocks, boolean lstripBlocks) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        this.src = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        this.trimBlocks = trimBlocks;
        this.lstripBlocks = lstripBlocks;
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
    }

    static List<Token> tokenize(String source, boolean trimBlocks, boolean lstripBlocks) {
        Lexer lexer = new Lexer(source, trimBlocks, lstripBlocks);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        boolean lineStarting = true;
        while (pos < src.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emit(Kind.TEXT, src.substring(pos), pos);
                pos = src.length();
                break;
            }
            char type = src.charAt(tag + 1);
            char sign = tag + 2 < src.length() && (src.charAt(tag + 2) == '-' || src.charAt(tag + 2) == '+')
                    ? src.charAt(tag + 2) : 0;
            String text = src.substring(pos, tag);
            if (sign == '-') {
                text = PyValues.strip(text, null, false, true);
            } else if (sign != '+' && lstripBlocks && type != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                        && onlyWhitespace(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            if (!text.isEmpty()) {
                emit(Kind.TEXT, text, pos);
            }
            int bodyStart = tag + 2 + (sign != 0 ? 1 : 0);
            Matcher raw = type == '%' ? RAW_BEGIN.matcher(src).region(tag, src.length()) : null;
            if (raw != null && raw.lookingAt()) {
                pos = lexRaw(tag, raw);
            } else if (type == '#') {
                pos = skipComment(tag, bodyStart);
            } else if (type == '{') {
                emit(Kind.VARIABLE_BEGIN, "{{", tag);
                pos = lexTag(bodyStart, "}}", Kind.VARIABLE_END, tag);
            } else {
                emit(Kind.BLOCK_BEGIN, "{%", tag);
                pos = lexTag(bodyStart, "%}", Kind.BLOCK_END, tag);
            }
            lineStarting = src.charAt(pos - 1) == '\n';
        }
        emit(Kind.EOF, "", src.length());
    }

    /** {@code {% raw %}...{% endraw %}}: the content is text, tags in it are not interpreted. */
    private int lexRaw(int tag, Matcher begin) {
        int contentStart = begin.group(1).isEmpty() ? begin.end() : afterTagEnd(begin.end(), '-', true);
        Matcher end = RAW_END.matcher(src);
        if (!end.find(contentStart)) {
            throw error("missing end of raw directive", tag);
        }
        String content = src.substring(contentStart, end.start());
        if (end.group(1).equals("-")) {
            content = PyValues.strip(content, null, false, true);
        } else if (!end.group(1).equals("+") && lstripBlocks) {
            int lineStart = content.lastIndexOf('\n') + 1;
            if (lineStart > 0 && lineStart < content.length() && onlyWhitespace(content, lineStart)) {
                content = content.substring(0, lineStart);
            }
        }
        if (!content.isEmpty()) {
            emit(Kind.TEXT, content, contentStart);
        }
        char sign = end.group(2).isEmpty() ? 0 : end.group(2).charAt(0);
        return afterTagEnd(end.end(), sign, true);
    }

    private int nextTagStart(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private static boolean onlyWhitespace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!PyValues.isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private int skipComment(int tag, int bodyStart) {
        int end = src.indexOf("#}", bodyStart);
        if (end < 0) {
            throw error("missing end of comment tag", tag);
        }
        char sign = end > bodyStart && (src.charAt(end - 1) == '-' || src.charAt(end - 1) == '+')
                ? src.charAt(end - 1) : 0;
        return afterTagEnd(end + 2, sign, true);
    }

    /** Lexes the inside of a {@code {{ }}} or {@code {% %}} tag; returns the position after it. */
    private int lexTag(int p, String end, Kind endKind, int tagStart) {
        int depth = 0;
        pos = p;
        while (true) {
            while (pos < src.length() && PyValues.isSpace(src.charAt(pos))) {
                pos++;
            }
            if (pos >= src.length()) {
                throw error("unexpected end of template, expected '" + end + "'", tagStart);
            }
            if (depth == 0) {
                char c = src.charAt(pos);
                if ((c == '-' || c == '+') && src.startsWith(end, pos + 1)
                        && (c == '-' || endKind == Kind.BLOCK_END)) {
                    emit(endKind, end, pos);
                    return afterTagEnd(pos + 1 + end.length(), c, endKind == Kind.BLOCK_END);
                }
                if (src.startsWith(end, pos)) {
                    emit(endKind, end, pos);
                    return afterTagEnd(pos + end.length(), (char) 0, endKind == Kind.BLOCK_END);
                }
            }
            char c = src.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                emit(Kind.NAME, src.substring(start, pos), start);
            } else if (Character.isDigit(c)) {
                lexNumber();
            } else if (c == '\'' || c == '"') {
                lexString(c);
            } else {
                String op = operatorAt(pos);
                if (op == null) {
                    throw error("unexpected char '" + c + "'", pos);
                }
                switch (op) {
                    case "(", "[", "{" -> depth++;
                    case ")", "]", "}" -> {
                        if (depth == 0) {
                            throw error("unexpected '" + op + "'", pos);
                        }
                        depth--;
                    }
                    default -> { }
                }
                emit(Kind.OPERATOR, op, pos);
                pos += op.length();
            }
        }
    }

    private int afterTagEnd(int p, char sign, boolean trims) {
        if (sign == '-') {
            while (p < src.length() && PyValues.isSpace(src.charAt(p))) {
                p++;
            }
        } else if (sign != '+' && trims && trimBlocks && p < src.length() && src.charAt(p) == '\n') {
            p++;
        }
        return p;
    }

    private String operatorAt(int p) {
        for (String op : OPERATORS) {
            if (src.startsWith(op, p)) {
                return op;
            }
        }
        return null;
    }

    private void lexNumber() {
        int start = pos;
        digits();
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                isFloat = true;
                digits();
            } else {
                pos = save;
            }
        }
        emit(isFloat ? Kind.FLOAT : Kind.INTEGER, src.substring(start, pos).replace("_", ""), start);
    }

    private void digits() {
        while (pos < src.length() && (Character.isDigit(src.charAt(pos))
                || (src.charAt(pos) == '_' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))))) {
            pos++;
        }
    }

    /** A Python string literal; escapes are decoded as Python's {@code unicode-escape} does. */
    private void lexString(char quote) {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw error("unterminated string", start);
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) {
                throw error("unterminated string", start);
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case 'a' -> sb.append('\u0007');
                case '\\', '\'', '"' -> sb.append(e);
                case '\n' -> { } // line continuation
                case 'x' -> sb.appendCodePoint(hex(2, start));
                case 'u' -> sb.appendCodePoint(hex(4, start));
                case 'U' -> sb.appendCodePoint(hex(8, start));
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; k++) {
                            v = v * 8 + (src.charAt(pos++) - '0');
                        }
                        sb.append((char) v);
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        emit(Kind.STRING, sb.toString(), start);
    }

    private int hex(int n, int stringStart) {
        if (pos + n > src.length()) {
            throw error("truncated \\x/\\u escape in string", stringStart);
        }
        try {
            int v = Integer.parseInt(src.substring(pos, pos + n), 16);
            pos += n;
            return v;
        } catch (NumberFormatException e) {
            throw error("invalid escape in string", stringStart);
        }
    }

    private void emit(Kind kind, String text, int offset) {
        int line = lineOf(offset);
        tokens.add(new Token(kind, text, line + 1, offset - lineStarts[line] + 1));
    }

    private int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i : -i - 2;
    }

    private TemplateSyntaxException error(String reason, int offset) {
        int line = lineOf(offset);
        return new TemplateSyntaxException(reason, line + 1, offset - lineStarts[line] + 1);
    }
}
