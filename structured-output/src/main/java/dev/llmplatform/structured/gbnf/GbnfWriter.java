package dev.llmplatform.structured.gbnf;

import dev.llmplatform.structured.gbnf.GrammarExpr.Alternation;
import dev.llmplatform.structured.gbnf.GrammarExpr.AnyChar;
import dev.llmplatform.structured.gbnf.GrammarExpr.CharClass;
import dev.llmplatform.structured.gbnf.GrammarExpr.Literal;
import dev.llmplatform.structured.gbnf.GrammarExpr.Repeat;
import dev.llmplatform.structured.gbnf.GrammarExpr.RuleRef;
import dev.llmplatform.structured.gbnf.GrammarExpr.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link GrammarExpr} as GBNF text. In {@link Mode#JSON_STRING_CONTENT} mode the expression
 * describes the decoded characters of a JSON string and is written as the matching JSON-encoded text:
 * {@code "} and {@code \} become {@code \"} and {@code \\}, control characters their escapes.
 */
public final class GbnfWriter {
    public enum Mode { RAW, JSON_STRING_CONTENT }

    private final Mode mode;

    public GbnfWriter(Mode mode) {
        this.mode = mode;
    }

    public String write(GrammarExpr e) {
        StringBuilder sb = new StringBuilder();
        write(e, sb);
        return sb.toString();
    }

    private void write(GrammarExpr e, StringBuilder sb) {
        switch (e) {
            case Literal l -> {
                if (l.text().isEmpty()) {
                    sb.append("\"\"");
                    return;
                }
                sb.append('"');
                l.text().codePoints().forEach(cp -> {
                    if (mode == Mode.JSON_STRING_CONTENT) {
                        for (char c : jsonEscape(cp).toCharArray()) {
                            appendLiteralChar(c, sb);
                        }
                    } else {
                        appendLiteralCodePoint(cp, sb);
                    }
                });
                sb.append('"');
            }
            case CharClass c -> writeClass(CodePointSets.normalize(c.ranges(), c.negated()), sb);
            case AnyChar a -> writeClass(new int[] {0, Character.MAX_CODE_POINT}, sb);
            case RuleRef r -> sb.append(r.name());
            case Sequence s -> {
                sb.append('(');
                for (int i = 0; i < s.items().size(); i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    write(s.items().get(i), sb);
                }
                sb.append(')');
            }
            case Alternation a -> {
                sb.append('(');
                for (int i = 0; i < a.options().size(); i++) {
                    if (i > 0) {
                        sb.append(" | ");
                    }
                    write(a.options().get(i), sb);
                }
                sb.append(')');
            }
            case Repeat r -> {
                sb.append('(');
                write(r.item(), sb);
                sb.append(')');
                if (r.min() == 0 && r.max() == Repeat.UNBOUNDED) {
                    sb.append('*');
                } else if (r.min() == 1 && r.max() == Repeat.UNBOUNDED) {
                    sb.append('+');
                } else if (r.min() == 0 && r.max() == 1) {
                    sb.append('?');
                } else if (r.max() == Repeat.UNBOUNDED) {
                    sb.append('{').append(r.min()).append(",}");
                } else if (r.min() == r.max()) {
                    sb.append('{').append(r.min()).append('}');
                } else {
                    sb.append('{').append(r.min()).append(',').append(r.max()).append('}');
                }
            }
        }
    }

    private void writeClass(int[] set, StringBuilder sb) {
        if (mode == Mode.RAW) {
            sb.append(classText(set));
            return;
        }
        // JSON string content: plain characters appear as themselves, the rest as escapes
        int[] special = {0, 0x1F, '"', '"', '\\', '\\'};
        int[] plain = CodePointSets.subtract(set, CodePointSets.normalize(special, false));
        List<String> options = new ArrayList<>();
        if (plain.length > 0) {
            options.add(classText(plain));
        }
        for (int i = 0; i < set.length; i += 2) {
            for (int cp = set[i]; cp <= set[i + 1] && cp <= '\\'; cp++) {
                if (cp < 0x20 || cp == '"' || cp == '\\') {
                    StringBuilder lit = new StringBuilder("\"");
                    for (char c : jsonEscape(cp).toCharArray()) {
                        appendLiteralChar(c, lit);
                    }
                    options.add(lit.append('"').toString());
                    if (cp < 0x20 && jsonEscape(cp).length() == 2) {
                        options.add(String.format("\"\\\\u%04x\"", cp)); // the long form is valid JSON too
                    }
                }
            }
        }
        if (options.isEmpty()) {
            sb.append("[^\\x00-\\U0010FFFF]");
        } else if (options.size() == 1) {
            sb.append(options.getFirst());
        } else {
            sb.append('(').append(String.join(" | ", options)).append(')');
        }
    }

    /** The JSON encoding of one decoded string character, as our serialiser writes it. */
    public static String jsonEscape(int cp) {
        return switch (cp) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> cp < 0x20 ? String.format("\\u%04x", cp) : new String(Character.toChars(cp));
        };
    }

    public static String classText(int[] set) {
        if (set.length == 0) {
            return "[^\\x00-\\U0010FFFF]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < set.length; i += 2) {
            appendClassChar(set[i], sb);
            if (set[i + 1] != set[i]) {
                sb.append('-');
                appendClassChar(set[i + 1], sb);
            }
        }
        return sb.append(']').toString();
    }

    private static void appendClassChar(int cp, StringBuilder sb) {
        if (cp == ']' || cp == '[' || cp == '\\' || cp == '-' || cp == '^' || cp == '"') {
            sb.append('\\').append((char) cp);
        } else {
            appendPrintable(cp, sb);
        }
    }

    public static String literal(String text) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(cp -> appendLiteralCodePoint(cp, sb));
        return sb.append('"').toString();
    }

    private static void appendLiteralChar(char c, StringBuilder sb) {
        appendLiteralCodePoint(c, sb);
    }

    private static void appendLiteralCodePoint(int cp, StringBuilder sb) {
        if (cp == '"' || cp == '\\') {
            sb.append('\\').append((char) cp);
        } else {
            appendPrintable(cp, sb);
        }
    }

    private static void appendPrintable(int cp, StringBuilder sb) {
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0xD800 && cp <= 0xDFFF)
                || cp == 0x2028 || cp == 0x2029) {
            sb.append(cp <= 0xFF ? String.format("\\x%02X", cp) : String.format("\\u%04X", cp));
        } else if (cp > 0xFFFF && !Character.isDefined(cp)) {
            sb.append(String.format("\\U%08X", cp));
        } else {
            sb.appendCodePoint(cp);
        }
    }
}
