package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, byte for byte, as transformers' {@code tojson} filter calls it:
 * {@code ensure_ascii=False} by default (non-ASCII text stays as is, unlike Jinja's own filter, which
 * also HTML-escapes), separators {@code ", "} and {@code ": "} without indent and {@code ","} with one,
 * keys in insertion order unless {@code sort_keys}, floats as Python's {@code repr}.
 */
public final class PyJson {
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final boolean ensureAscii;

    /**
     * @param indent     null for one line, otherwise the string repeated per nesting level
     * @param separators null for Python's defaults, otherwise {@code [item separator, key separator]}
     */
    public PyJson(String indent, List<String> separators, boolean sortKeys, boolean ensureAscii) {
        this.indent = indent;
        this.itemSeparator = separators != null ? separators.get(0) : indent != null ? "," : ", ";
        this.keySeparator = separators != null ? separators.get(1) : ": ";
        this.sortKeys = sortKeys;
        this.ensureAscii = ensureAscii;
    }

    /** {@code json.dumps(value, ensure_ascii=False)}. */
    public static String dumps(Object value) {
        return new PyJson(null, null, false, false).write(value);
    }

    public String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, Object v, int level) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b ? "true" : "false");
            case Long l -> sb.append(l);
            case Double d -> sb.append(floatJson(d));
            case String s -> quote(sb, s);
            case Markup m -> quote(sb, m.text());
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(itemSeparator);
                    }
                    newline(sb, level + 1);
                    write(sb, l.get(i), level + 1);
                }
                newline(sb, level);
                sb.append(']');
            }
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                List<Map.Entry<String, Object>> entries = new ArrayList<>();
                m.forEach((k, val) -> entries.add(Map.entry(key(k), val == null ? NULL : val)));
                if (sortKeys) {
                    entries.sort(Map.Entry.comparingByKey(PyValues::compare));
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> e : entries) {
                    if (!first) {
                        sb.append(itemSeparator);
                    }
                    first = false;
                    newline(sb, level + 1);
                    quote(sb, e.getKey());
                    sb.append(keySeparator);
                    write(sb, e.getValue() == NULL ? null : e.getValue(), level + 1);
                }
                newline(sb, level);
                sb.append('}');
            }
            default -> throw new TemplateRuntimeException("Object of type " + PyValues.typeName(v)
                    + " is not JSON serializable");
        }
    }

    private static final Object NULL = new Object();

    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case Markup m -> m.text();
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> floatJson(d);
            default -> throw new TemplateRuntimeException("keys must be str, int, float, bool or None, not "
                    + PyValues.typeName(k));
        };
    }

    private static String floatJson(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyValues.floatRepr(d);
    }

    private void newline(StringBuilder sb, int level) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(level));
        }
    }

    private void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
