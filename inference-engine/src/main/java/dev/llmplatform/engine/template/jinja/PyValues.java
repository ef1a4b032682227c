package dev.llmplatform.engine.template.jinja;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's view of template values. Values are: {@code null} (None), {@link Undefined}, {@link Boolean},
 * {@link Long} (int), {@link Double} (float), {@link String}, {@link List} (list; {@link PyTuple} for
 * tuples), {@link Map} (dict, insertion-ordered), {@link Namespace}, {@link LoopContext} and
 * {@link JinjaCallable}. This class gives them Python's truthiness, {@code str()}, {@code repr()},
 * equality, ordering and iteration, which is what makes a render byte-exact.
 */
public final class PyValues {
    private PyValues() {
    }

    /** Converts caller data (Jackson trees, Java collections, boxed numbers) into template values. */
    public static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> Double.parseDouble(Float.toString(f));
            case BigDecimal d -> d.doubleValue();
            case java.math.BigInteger b -> b.longValue();
            case Character c -> c.toString();
            case PyTuple t -> t;
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(normalize(k), normalize(v)));
                yield out;
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                c.forEach(v -> out.add(normalize(v)));
                yield out;
            }
            case Object[] a -> normalize(List.of(a));
            default -> value;
        };
    }

    public static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Undefined u -> false;
            case Markup m -> !m.text().isEmpty();
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** Python's type name, as Jinja's messages use it. */
    public static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Undefined u -> "Undefined";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case Markup m -> "Markup";
            case PyTuple t -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Namespace n -> "Namespace";
            case LoopContext l -> "LoopContext";
            case PyIterator it -> it.typeName();
            case Macro m -> "Macro";
            default -> "function";
        };
    }

    /** Python's {@code str(v)}; Undefined renders empty, as in Jinja. */
    public static String str(Object v) {
        return switch (v) {
            case String s -> s;
            case Markup m -> m.text();
            case Undefined u -> "";
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            case PyTuple t -> {
                StringBuilder sb = new StringBuilder("(");
                joinRepr(sb, t);
                yield sb.append(t.size() == 1 ? ",)" : ")").toString();
            }
            case List<?> l -> {
                StringBuilder sb = new StringBuilder("[");
                joinRepr(sb, l);
                yield sb.append(']').toString();
            }
            case Map<?, ?> m -> {
                StringBuilder sb = new StringBuilder("{");
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                }
                yield sb.append('}').toString();
            }
            case Namespace n -> "<Namespace " + str(n.attributes()) + ">";
            case Macro m -> "<Macro '" + m.name() + "'>";
            case LoopContext l -> "<LoopContext " + l.index() + "/" + l.length() + ">";
            case PyIterator it -> "<" + it.typeName() + " object>";
            default -> "<function>";
        };
    }

    private static void joinRepr(StringBuilder sb, List<?> items) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(repr(items.get(i)));
        }
    }

    /** Python's {@code repr(v)}: strings quoted and escaped, everything else as {@link #str}. */
    public static String repr(Object v) {
        if (v instanceof Markup m) {
            return "Markup(" + repr(m.text()) + ")";
        }
        if (!(v instanceof String s)) {
            return str(v);
        }
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(quote).toString();
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip (which Java's
     * {@link Double#toString} also finds), laid out the Python way: positional notation for decimal
     * exponents -4..15, otherwise {@code 1e+16} style.
     */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - exact.scale() - 1;
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (exponent >= -4 && exponent < 16) {
            if (exponent >= digits.length() - 1) {
                sb.append(digits).append("0".repeat(exponent - digits.length() + 1)).append(".0");
            } else if (exponent >= 0) {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            } else {
                sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            sb.append(abs < 10 ? "0" : "").append(abs);
        }
        return sb.toString();
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    /** An int argument; like Python, a float or a string is refused rather than truncated or parsed. */
    static long asLong(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            case Undefined u -> throw u.error();
            case null, default -> throw new TemplateRuntimeException("'" + typeName(v)
                    + "' object cannot be interpreted as an integer");
        };
    }

    static double asDouble(Object v) {
        return switch (v) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            case Double d -> d;
            case Undefined u -> throw u.error();
            case null, default -> throw new TemplateRuntimeException("must be real number, not " + typeName(v));
        };
    }

    /** Python's {@code ==}: {@code 1 == 1.0 == True}, lists and dicts compare by content. */
    public static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        a = unwrapMarkup(a);
        b = unwrapMarkup(b);
        if (isNumber(a) && isNumber(b)) {
            if (isIntegral(a) && isIntegral(b)) {
                return asLong(a) == asLong(b);
            }
            return asDouble(a) == asDouble(b);
        }
        if (a instanceof Undefined || b instanceof Undefined) {
            return a instanceof Undefined && b instanceof Undefined;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size() || (a instanceof PyTuple) != (b instanceof PyTuple)) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey()) || !equal(e.getValue(), mb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Python's ordering ({@code <} and friends) for numbers, strings and sequences. */
    public static int compare(Object a, Object b) {
        a = unwrapMarkup(a);
        b = unwrapMarkup(b);
        if (isNumber(a) && isNumber(b)) {
            if (isIntegral(a) && isIntegral(b)) {
                return Long.compare(asLong(a), asLong(b));
            }
            return Double.compare(asDouble(a), asDouble(b));
        }
        if (a instanceof String sa && b instanceof String sb) {
            return compareCodePoints(sa, sb);
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                if (!equal(la.get(i), lb.get(i))) {
                    return compare(la.get(i), lb.get(i));
                }
            }
            return Integer.compare(la.size(), lb.size());
        }
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        throw new TemplateRuntimeException("'<' not supported between instances of '" + typeName(a)
                + "' and '" + typeName(b) + "'");
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Python's iteration: lists by item, dicts by key, strings by character; Undefined is empty. */
    public static Iterable<?> iterate(Object v) {
        return switch (v) {
            case List<?> l -> l;
            case Map<?, ?> m -> m.keySet();
            case String s -> characters(s);
            case Markup m -> characters(m.text());
            case Undefined u -> List.of();
            case Collection<?> c -> c;
            case PyIterator it -> it.drain();
            case null, default -> throw new TemplateRuntimeException("'" + typeName(v) + "' object is not iterable");
        };
    }

    /** The items of an iterable value as a new list. */
    public static List<Object> toList(Object v) {
        List<Object> out = new ArrayList<>();
        for (Object o : iterate(v)) {
            out.add(o);
        }
        return out;
    }

    /** A string's characters, each a string of one code point. */
    public static List<Object> characters(String s) {
        List<Object> out = new ArrayList<>(s.length());
        for (Iterator<Integer> it = s.codePoints().iterator(); it.hasNext(); ) {
            out.add(Character.toString(it.next()));
        }
        return out;
    }

    /** Python's {@code len(v)}; Jinja's {@code length} of Undefined is 0. */
    public static long length(Object v) {
        return switch (v) {
            case String s -> s.codePointCount(0, s.length());
            case Markup m -> m.text().codePointCount(0, m.text().length());
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            case Namespace n -> n.attributes().size();
            case null, default -> throw new TemplateRuntimeException("object of type '" + typeName(v) + "' has no len()");
        };
    }

    /** Markup compares, hashes and indexes as the string it wraps. */
    static Object unwrapMarkup(Object v) {
        return v instanceof Markup m ? m.text() : v;
    }

    /** The text of a string or Markup value, or null for other values. */
    static String text(Object v) {
        return v instanceof String s ? s : v instanceof Markup m ? m.text() : null;
    }

    /** Python's {@code str.isspace()} for one character (wider than Java's: includes NBSP and NEL). */
    public static boolean isSpace(int c) {
        return switch (c) {
            case ' ', '\t', '\n', '\r', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0, 0x2028, 0x2029 -> true;
            default -> Character.getType(c) == Character.SPACE_SEPARATOR;
        };
    }

    public static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        while (left && start < end && stripped(s.charAt(start), chars)) {
            start++;
        }
        while (right && end > start && stripped(s.charAt(end - 1), chars)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }
}
