package dev.llmplatform.engine.template.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jinja's built-in filters that chat templates use, with transformers' {@code tojson}. */
final class Filters {
    @FunctionalInterface
    interface Filter {
        Object apply(Object value, Arguments args);
    }

    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern TITLE_SPLIT = Pattern.compile("([-\\s({\\[<]+)", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Map<String, Filter> ALL = new HashMap<>();

    static {
        ALL.put("safe", (v, a) -> v instanceof Markup ? v : new Markup(PyValues.str(v)));
        ALL.put("string", (v, a) -> v instanceof Markup ? v : PyValues.str(v));
        ALL.put("trim", (v, a) -> sameKind(v, PyValues.strip(PyValues.str(v), StringMethods.optionalString(a.get(0, "chars", null)), true, true)));
        ALL.put("upper", (v, a) -> sameKind(v, PyValues.str(v).toUpperCase(Locale.ROOT)));
        ALL.put("lower", (v, a) -> sameKind(v, PyValues.str(v).toLowerCase(Locale.ROOT)));
        ALL.put("capitalize", (v, a) -> sameKind(v, StringMethods.capitalize(PyValues.str(v))));
        ALL.put("title", (v, a) -> title(PyValues.str(v)));
        ALL.put("center", (v, a) -> sameKind(v, StringMethods.center(PyValues.str(v), PyValues.asLong(a.get(0, "width", 80L)), " ")));
        ALL.put("replace", (v, a) -> StringMethods.replace(PyValues.str(v), PyValues.str(a.require(0, "old", "replace")),
                PyValues.str(a.require(1, "new", "replace")), count(a.get(2, "count", null))));
        ALL.put("wordcount", (v, a) -> WORD.matcher(PyValues.str(v)).results().count());
        ALL.put("indent", Filters::indent);
        ALL.put("format", (v, a) -> {
            if (!a.keywords().isEmpty() && a.size() > 0) {
                throw new TemplateRuntimeException("can't handle positional and keyword arguments at the same time");
            }
            Object args = a.keywords().isEmpty()
                    ? (a.size() == 1 && !(a.positional().getFirst() instanceof PyTuple) ? a.positional().getFirst() : PyTuple.of(a.positional()))
                    : new java.util.LinkedHashMap<Object, Object>(a.keywords());
            return PercentFormat.format(PyValues.str(v), args);
        });
        ALL.put("escape", (v, a) -> Markup.escape(v));
        ALL.put("e", ALL.get("escape"));
        ALL.put("tojson", Filters::tojson);
        ALL.put("length", (v, a) -> PyValues.length(v));
        ALL.put("count", ALL.get("length"));
        ALL.put("list", (v, a) -> PyValues.toList(v));
        ALL.put("items", (v, a) -> {
            if (v instanceof Undefined) {
                return new PyIterator("generator", List.of());
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw new TemplateRuntimeException("Can only get item pairs from a mapping.");
            }
            List<Object> out = new ArrayList<>();
            m.forEach((k, x) -> out.add(new PyTuple(k, x)));
            return new PyIterator("generator", out);
        });
        ALL.put("first", (v, a) -> {
            for (Object o : PyValues.iterate(v)) {
                return o;
            }
            return Undefined.because("No first item, sequence was empty.");
        });
        ALL.put("last", (v, a) -> {
            if (v instanceof PyIterator it) {
                throw new TemplateRuntimeException("'" + it.typeName() + "' object is not reversible");
            }
            List<Object> l = PyValues.toList(v);
            return l.isEmpty() ? Undefined.because("No last item, sequence was empty.") : l.getLast();
        });
        ALL.put("default", (v, a) -> v instanceof Undefined
                || (PyValues.truthy(a.get(1, "boolean", false)) && !PyValues.truthy(v)) ? a.get(0, "default_value", "") : v);
        ALL.put("d", ALL.get("default"));
        ALL.put("join", (v, a) -> {
            Object attribute = a.get(1, "attribute", null);
            StringBuilder sb = new StringBuilder();
            String sep = PyValues.str(a.get(0, "d", ""));
            boolean first = true;
            for (Object o : PyValues.iterate(v)) {
                if (!first) {
                    sb.append(sep);
                }
                first = false;
                sb.append(PyValues.str(attribute == null ? o : lookupPath(o, attribute)));
            }
            return sb.toString();
        });
        ALL.put("reverse", (v, a) -> {
            if (v instanceof String s) {
                return new StringBuilder(s).reverse().toString();
            }
            boolean reversible = v instanceof List || v instanceof Map;
            List<Object> l = PyValues.toList(v);
            Collections.reverse(l);
            // reversed() of a list is an iterator; only a non-reversible input falls back to a list.
            return reversible ? new PyIterator(v instanceof Map ? "dict_reversekeyiterator" : "list_reverseiterator", l) : l;
        });
        ALL.put("sort", (v, a) -> {
            List<Object> l = PyValues.toList(v);
            l.sort(keyComparator(PyValues.truthy(a.get(1, "case_sensitive", false)), a.get(2, "attribute", null)));
            if (PyValues.truthy(a.get(0, "reverse", false))) {
                Collections.reverse(l);
            }
            return l;
        });
        ALL.put("dictsort", (v, a) -> {
            if (!(v instanceof Map<?, ?> m)) {
                throw new TemplateRuntimeException("You can only sort by either \"key\" or \"value\" of a mapping");
            }
            boolean caseSensitive = PyValues.truthy(a.get(0, "case_sensitive", false));
            int pos = "value".equals(a.get(1, "by", "key")) ? 1 : 0;
            List<Object> l = new ArrayList<>();
            m.forEach((k, x) -> l.add(new PyTuple(k, x)));
            Comparator<Object> c = keyComparator(caseSensitive, null);
            l.sort((x, y) -> c.compare(((PyTuple) x).get(pos), ((PyTuple) y).get(pos)));
            if (PyValues.truthy(a.get(2, "reverse", false))) {
                Collections.reverse(l);
            }
            return l;
        });
        ALL.put("unique", (v, a) -> {
            boolean caseSensitive = PyValues.truthy(a.get(0, "case_sensitive", false));
            Object attribute = a.get(1, "attribute", null);
            List<Object> out = new ArrayList<>();
            List<Object> seen = new ArrayList<>();
            for (Object o : PyValues.iterate(v)) {
                Object key = sortKey(attribute == null ? o : lookupPath(o, attribute), caseSensitive);
                if (seen.stream().noneMatch(s -> PyValues.equal(s, key))) {
                    seen.add(key);
                    out.add(o);
                }
            }
            return new PyIterator("generator", out);
        });
        ALL.put("min", (v, a) -> extreme(v, a, -1));
        ALL.put("max", (v, a) -> extreme(v, a, 1));
        ALL.put("sum", (v, a) -> {
            Object attribute = a.get(0, "attribute", null);
            Object total = a.get(1, "start", 0L);
            for (Object o : PyValues.iterate(v)) {
                total = PyOps.binary("+", total, attribute == null ? o : lookupPath(o, attribute));
            }
            return total;
        });
        ALL.put("abs", (v, a) -> switch (v) {
            case Long l -> Math.abs(l);
            case Double d -> Math.abs(d);
            case Boolean b -> b ? 1L : 0L;
            case null, default -> throw new TemplateRuntimeException("bad operand type for abs(): '" + PyValues.typeName(v) + "'");
        });
        ALL.put("int", Filters::toInt);
        ALL.put("float", (v, a) -> {
            Double d = parseFloat(v);
            return d != null ? d : a.get(0, "default", 0.0);
        });
        ALL.put("round", Filters::round);
        ALL.put("attr", (v, a) -> Members.attribute(v, PyValues.str(a.require(0, "name", "attr"))));
        ALL.put("map", Filters::map);
        ALL.put("batch", Filters::batch);
        ALL.put("select", (v, a) -> select(v, a, false, false));
        ALL.put("reject", (v, a) -> select(v, a, false, true));
        ALL.put("selectattr", (v, a) -> select(v, a, true, false));
        ALL.put("rejectattr", (v, a) -> select(v, a, true, true));
    }

    private Filters() {
    }

    static boolean has(String name) {
        return ALL.containsKey(name);
    }

    static Object apply(String name, Object value, Arguments args) {
        Filter f = ALL.get(name);
        if (f == null) {
            throw new TemplateRuntimeException("No filter named '" + name + "'.");
        }
        return f.apply(value, args);
    }

    private static long count(Object c) {
        return c == null ? -1 : PyValues.asLong(c);
    }

    /** {@code batch(n, fill_with=None)}: the items in lists of {@code n}, the last one padded if asked. */
    private static Object batch(Object v, Arguments a) {
        long size = PyValues.asLong(a.require(0, "linecount", "batch"));
        if (size <= 0) {
            throw new TemplateRuntimeException("batch size must be positive");
        }
        boolean fill = a.has(1, "fill_with");
        Object filler = a.get(1, "fill_with", null);
        List<Object> out = new ArrayList<>();
        List<Object> current = new ArrayList<>();
        for (Object o : PyValues.iterate(v)) {
            current.add(o);
            if (current.size() == size) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            while (fill && current.size() < size) {
                current.add(filler);
            }
            out.add(current);
        }
        return new PyIterator("generator", out);
    }

    /** Jinja's {@code title}: the first letter of every word (after spaces, dashes, brackets) upper-cased. */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        Matcher m = TITLE_SPLIT.matcher(s);
        int last = 0;
        while (m.find()) {
            titleWord(sb, s.substring(last, m.start()));
            sb.append(m.group());
            last = m.end();
        }
        titleWord(sb, s.substring(last));
        return sb.toString();
    }

    private static void titleWord(StringBuilder sb, String word) {
        if (!word.isEmpty()) {
            int first = word.codePointAt(0);
            sb.appendCodePoint(Character.toUpperCase(first))
                    .append(word.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
        }
    }

    /** Jinja's {@code indent(width=4, first=False, blank=False)}, including its splitlines quirks. */
    private static Object indent(Object v, Arguments a) {
        Object width = a.get(0, "width", 4L);
        String pad = width instanceof String s ? s : " ".repeat((int) PyValues.asLong(width));
        boolean first = PyValues.truthy(a.get(1, "first", false));
        boolean blank = PyValues.truthy(a.get(2, "blank", false));
        List<String> lines = StringMethods.splitLines(PyValues.str(v) + "\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0) {
                sb.append('\n');
                if (blank || !line.isEmpty()) {
                    sb.append(pad);
                }
            }
            sb.append(line);
        }
        return sameKind(v, first ? pad + sb : sb.toString());
    }

    /** String filters keep Markup as Markup (MarkupSafe's str methods return Markup). */
    private static Object sameKind(Object input, String result) {
        return input instanceof Markup ? new Markup(result) : result;
    }

    /** transformers' {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}. */
    private static Object tojson(Object v, Arguments a) {
        Object indent = a.get(1, "indent", null);
        String indentString = switch (indent) {
            case null -> null;
            case String s -> s;
            default -> " ".repeat((int) Math.max(0, PyValues.asLong(indent)));
        };
        Object separators = a.get(2, "separators", null);
        List<String> seps = null;
        if (separators instanceof List<?> l && l.size() == 2) {
            seps = List.of(PyValues.str(l.get(0)), PyValues.str(l.get(1)));
        }
        boolean ensureAscii = PyValues.truthy(a.get(0, "ensure_ascii", false));
        boolean sortKeys = PyValues.truthy(a.get(3, "sort_keys", false));
        return new PyJson(indentString, seps, sortKeys, ensureAscii).write(v);
    }

    private static Object toInt(Object v, Arguments a) {
        Object fallback = a.get(0, "default", 0L);
        long base = PyValues.asLong(a.get(1, "base", 10L));
        return switch (v) {
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case Double d -> Double.isFinite(d) ? (Object) (long) d.doubleValue() : fallback;
            case String s -> {
                String t = PyValues.strip(s, null, true, true).replace("_", "");
                try {
                    if (base == 16 && (t.startsWith("0x") || t.startsWith("0X"))) {
                        t = t.substring(2);
                    }
                    yield Long.parseLong(t, (int) base);
                } catch (NumberFormatException e) {
                    Double d = parseFloat(s);
                    yield d != null && Double.isFinite(d) ? (Object) (long) d.doubleValue() : fallback;
                }
            }
            case null, default -> fallback;
        };
    }

    private static Double parseFloat(Object v) {
        return switch (v) {
            case Long l -> l.doubleValue();
            case Double d -> d;
            case Boolean b -> b ? 1.0 : 0.0;
            case String s -> {
                String t = PyValues.strip(s, null, true, true).toLowerCase(Locale.ROOT);
                switch (t) {
                    case "nan", "+nan", "-nan" -> {
                        yield Double.NaN;
                    }
                    case "inf", "+inf", "infinity", "+infinity" -> {
                        yield Double.POSITIVE_INFINITY;
                    }
                    case "-inf", "-infinity" -> {
                        yield Double.NEGATIVE_INFINITY;
                    }
                    default -> {
                        if (!t.matches("[+-]?(\\d[\\d_]*\\.?[\\d_]*|\\.\\d[\\d_]*)(e[+-]?\\d+)?")) {
                            yield null;
                        }
                        yield Double.parseDouble(t.replace("_", ""));
                    }
                }
            }
            case null, default -> null;
        };
    }

    /** Jinja's {@code round(precision=0, method='common')}; 'common' is Python's round() (half to even on the exact binary value). */
    private static Object round(Object v, Arguments a) {
        int precision = (int) PyValues.asLong(a.get(0, "precision", 0L));
        String method = PyValues.str(a.get(1, "method", "common"));
        if (v instanceof Long l && method.equals("common")) {
            return l;
        }
        if (!PyValues.isNumber(v)) {
            throw new TemplateRuntimeException("type " + PyValues.typeName(v) + " doesn't define __round__ method");
        }
        double d = PyValues.asDouble(v);
        if (!Double.isFinite(d)) {
            return d;
        }
        RoundingMode mode = switch (method) {
            case "common" -> RoundingMode.HALF_EVEN;
            case "ceil" -> RoundingMode.CEILING;
            case "floor" -> RoundingMode.FLOOR;
            default -> throw new TemplateRuntimeException("method must be common, ceil or floor");
        };
        return new BigDecimal(d).setScale(precision, mode).doubleValue();
    }

    private static Object extreme(Object v, Arguments a, int sign) {
        boolean caseSensitive = PyValues.truthy(a.get(0, "case_sensitive", false));
        Comparator<Object> c = keyComparator(caseSensitive, a.get(1, "attribute", null));
        Object best = null;
        boolean any = false;
        for (Object o : PyValues.iterate(v)) {
            if (!any || c.compare(o, best) * sign > 0) {
                best = o;
            }
            any = true;
        }
        return any ? best : Undefined.because("No aggregated item, sequence was empty.");
    }

    private static Object sortKey(Object o, boolean caseSensitive) {
        return !caseSensitive && o instanceof String s ? s.toLowerCase(Locale.ROOT) : o;
    }

    private static Comparator<Object> keyComparator(boolean caseSensitive, Object attribute) {
        return (x, y) -> PyValues.compare(
                sortKey(attribute == null ? x : lookupPath(x, attribute), caseSensitive),
                sortKey(attribute == null ? y : lookupPath(y, attribute), caseSensitive));
    }

    /** Jinja's attribute getter: {@code "a.b.0"} looked up item-first, part by part. */
    static Object lookupPath(Object item, Object attribute) {
        if (!(attribute instanceof String path)) {
            return Members.item(item, attribute);
        }
        Object v = item;
        for (String part : path.split("\\.")) {
            Object key = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? (Object) Long.parseLong(part) : part;
            v = Members.item(v, key);
        }
        return v;
    }

    /** {@code map(attribute='x', default=...)} or {@code map('filter', args...)}. */
    private static Object map(Object v, Arguments a) {
        List<Object> out = new ArrayList<>();
        if (a.keywords().containsKey("attribute")) {
            Object attribute = a.keywords().get("attribute");
            boolean hasDefault = a.keywords().containsKey("default");
            for (Object o : PyValues.iterate(v)) {
                Object x = lookupPath(o, attribute);
                out.add(x instanceof Undefined && hasDefault ? a.keywords().get("default") : x);
            }
            return new PyIterator("generator", out);
        }
        if (a.size() == 0) {
            throw new TemplateRuntimeException("map requires a filter argument");
        }
        String filter = PyValues.str(a.positional().getFirst());
        Arguments rest = new Arguments(a.positional().subList(1, a.size()), a.keywords());
        for (Object o : PyValues.iterate(v)) {
            out.add(apply(filter, o, rest));
        }
        return new PyIterator("generator", out);
    }

    /** select / reject (on the items) and selectattr / rejectattr (on an attribute of the items). */
    private static Object select(Object v, Arguments a, boolean byAttribute, boolean reject) {
        List<Object> args = a.positional();
        Object attribute = null;
        if (byAttribute) {
            if (args.isEmpty()) {
                throw new TemplateRuntimeException("Missing parameter for attribute name");
            }
            attribute = args.getFirst();
            args = args.subList(1, args.size());
        }
        String test = args.isEmpty() ? null : PyValues.str(args.getFirst());
        List<Object> testArgs = args.isEmpty() ? List.of() : args.subList(1, args.size());
        List<Object> out = new ArrayList<>();
        if (!PyValues.truthy(v)) {
            return new PyIterator("generator", out);
        }
        for (Object o : PyValues.iterate(v)) {
            Object subject = byAttribute ? lookupPath(o, attribute) : o;
            boolean pass = test == null ? PyValues.truthy(subject) : Tests.apply(test, subject, testArgs);
            if (pass != reject) {
                out.add(o);
            }
        }
        return new PyIterator("generator", out);
    }
}
