package dev.llmplatform.engine.template.jinja;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Jinja's tests ({@code x is defined}, {@code x is divisibleby 3}, ...), by name. */
final class Tests {
    @FunctionalInterface
    interface Test {
        boolean test(Object value, List<Object> args);
    }

    private static final Map<String, Test> ALL = new HashMap<>();

    static {
        ALL.put("defined", (v, a) -> !(v instanceof Undefined));
        ALL.put("undefined", (v, a) -> v instanceof Undefined);
        ALL.put("none", (v, a) -> v == null);
        ALL.put("boolean", (v, a) -> v instanceof Boolean);
        ALL.put("true", (v, a) -> Boolean.TRUE.equals(v));
        ALL.put("false", (v, a) -> Boolean.FALSE.equals(v));
        ALL.put("integer", (v, a) -> v instanceof Long);
        ALL.put("float", (v, a) -> v instanceof Double);
        ALL.put("number", (v, a) -> PyValues.isNumber(v));
        ALL.put("string", (v, a) -> PyValues.text(v) != null);
        ALL.put("mapping", (v, a) -> v instanceof Map);
        ALL.put("iterable", (v, a) -> PyValues.text(v) != null || v instanceof Collection || v instanceof Map
                || v instanceof Undefined || v instanceof PyIterator);
        ALL.put("sequence", (v, a) -> PyValues.text(v) != null || v instanceof Collection || v instanceof Map);
        ALL.put("callable", (v, a) -> v instanceof JinjaCallable);
        ALL.put("odd", (v, a) -> Math.floorMod(integer(v, "odd"), 2) == 1);
        ALL.put("even", (v, a) -> Math.floorMod(integer(v, "even"), 2) == 0);
        ALL.put("divisibleby", (v, a) -> Math.floorMod(integer(v, "divisibleby"), integer(arg(a, "divisibleby"), "divisibleby")) == 0);
        ALL.put("lower", (v, a) -> PyValues.text(v) instanceof String s && s.equals(s.toLowerCase(Locale.ROOT)));
        ALL.put("upper", (v, a) -> PyValues.text(v) instanceof String s && s.equals(s.toUpperCase(Locale.ROOT)));
        ALL.put("in", (v, a) -> PyOps.contains(arg(a, "in"), v));
        ALL.put("sameas", (v, a) -> {
            Object other = arg(a, "sameas");
            return v == other || (v instanceof Boolean || v == null) && PyValues.equal(v, other)
                    && (other instanceof Boolean) == (v instanceof Boolean);
        });
        ALL.put("escaped", (v, a) -> v instanceof Markup);
        ALL.put("filter", (v, a) -> v instanceof String s && Filters.has(s));
        ALL.put("test", (v, a) -> v instanceof String s && ALL.containsKey(s));
        Test eq = (v, a) -> PyValues.equal(v, arg(a, "eq"));
        for (String n : List.of("eq", "equalto", "==")) {
            ALL.put(n, eq);
        }
        ALL.put("ne", (v, a) -> !PyValues.equal(v, arg(a, "ne")));
        ALL.put("!=", ALL.get("ne"));
        Test lt = (v, a) -> PyValues.compare(v, arg(a, "lt")) < 0;
        Test le = (v, a) -> PyValues.compare(v, arg(a, "le")) <= 0;
        Test gt = (v, a) -> PyValues.compare(v, arg(a, "gt")) > 0;
        Test ge = (v, a) -> PyValues.compare(v, arg(a, "ge")) >= 0;
        for (String n : List.of("lt", "lessthan", "<")) {
            ALL.put(n, lt);
        }
        for (String n : List.of("le", "<=")) {
            ALL.put(n, le);
        }
        for (String n : List.of("gt", "greaterthan", ">")) {
            ALL.put(n, gt);
        }
        for (String n : List.of("ge", ">=")) {
            ALL.put(n, ge);
        }
    }

    private Tests() {
    }

    static boolean has(String name) {
        return ALL.containsKey(name);
    }

    static boolean apply(String name, Object value, List<Object> args) {
        Test t = ALL.get(name);
        if (t == null) {
            throw new TemplateRuntimeException("No test named '" + name + "'.");
        }
        return t.test(value, args);
    }

    private static Object arg(List<Object> args, String test) {
        if (args.isEmpty()) {
            throw new TemplateRuntimeException("test '" + test + "' needs an argument");
        }
        return args.getFirst();
    }

    private static long integer(Object v, String test) {
        if (v instanceof Undefined u) {
            throw u.error();
        }
        if (!PyValues.isIntegral(v)) {
            throw new TemplateRuntimeException("test '" + test + "' needs an integer, got " + PyValues.typeName(v));
        }
        return PyValues.asLong(v);
    }
}
