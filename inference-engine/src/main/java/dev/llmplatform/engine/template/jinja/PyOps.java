package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Python's operators on template values: arithmetic, {@code in}, indexing and slicing. */
final class PyOps {
    private PyOps() {
    }

    static Object binary(String op, Object a, Object b) {
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        if (PyValues.isNumber(a) && PyValues.isNumber(b)) {
            return arithmetic(op, a, b);
        }
        if ((a instanceof Markup || b instanceof Markup) && op.equals("+") && PyValues.text(a) != null
                && PyValues.text(b) != null) {
            // Markup.__add__ / __radd__: the plain-string side is HTML-escaped.
            return new Markup(Markup.escape(a).text() + Markup.escape(b).text());
        }
        if (a instanceof Markup m && op.equals("*") && b instanceof Long n) {
            return new Markup((String) repeat(m.text(), n));
        }
        if (op.equals("%") && PyValues.text(a) != null) {
            String formatted = PercentFormat.format(PyValues.text(a), a instanceof Markup ? escapeArgs(b) : b);
            return a instanceof Markup ? new Markup(formatted) : formatted;
        }
        a = PyValues.unwrapMarkup(a);
        b = PyValues.unwrapMarkup(b);
        switch (op) {
            case "+" -> {
                if (a instanceof String sa && b instanceof String sb) {
                    return sa + sb;
                }
                if (a instanceof String && !(b instanceof String)) {
                    throw new TemplateRuntimeException("can only concatenate str (not \"" + PyValues.typeName(b)
                            + "\") to str");
                }
                if (a instanceof List<?> la && b instanceof List<?> lb && (a instanceof PyTuple) == (b instanceof PyTuple)) {
                    List<Object> out = new ArrayList<>(la);
                    out.addAll(lb);
                    return a instanceof PyTuple ? PyTuple.of(out) : out;
                }
            }
            case "*" -> {
                if (a instanceof Long n && (b instanceof String || b instanceof List)) {
                    return repeat(b, n);
                }
                if (b instanceof Long n && (a instanceof String || a instanceof List)) {
                    return repeat(a, n);
                }
            }
            default -> { }
        }
        throw new TemplateRuntimeException("unsupported operand type(s) for " + op + ": '" + PyValues.typeName(a)
                + "' and '" + PyValues.typeName(b) + "'");
    }

    /** Markup's {@code %}: the arguments are HTML-escaped first. */
    private static Object escapeArgs(Object args) {
        if (args instanceof PyTuple t) {
            List<Object> escaped = new ArrayList<>();
            t.forEach(x -> escaped.add(PyValues.text(x) != null ? Markup.escape(x) : x));
            return PyTuple.of(escaped);
        }
        return PyValues.text(args) != null ? Markup.escape(args) : args;
    }

    private static Object repeat(Object seq, long n) {
        if (seq instanceof String s) {
            return n <= 0 ? "" : s.repeat(Math.toIntExact(n));
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.addAll((List<?>) seq);
        }
        return seq instanceof PyTuple ? PyTuple.of(out) : out;
    }

    private static Object arithmetic(String op, Object a, Object b) {
        boolean integral = PyValues.isIntegral(a) && PyValues.isIntegral(b);
        if (integral) {
            long x = PyValues.asLong(a);
            long y = PyValues.asLong(b);
            return switch (op) {
                case "+" -> Math.addExact(x, y);
                case "-" -> Math.subtractExact(x, y);
                case "*" -> Math.multiplyExact(x, y);
                case "/" -> {
                    requireNonZero(y);
                    yield (double) x / y;
                }
                case "//" -> {
                    requireNonZero(y);
                    yield Math.floorDiv(x, y);
                }
                case "%" -> {
                    requireNonZero(y);
                    yield Math.floorMod(x, y);
                }
                case "**" -> y >= 0 ? (Object) powExact(x, y) : Math.pow(x, y);
                default -> throw new IllegalStateException(op);
            };
        }
        double x = PyValues.asDouble(a);
        double y = PyValues.asDouble(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> {
                requireNonZero(y);
                yield x / y;
            }
            case "//" -> {
                requireNonZero(y);
                yield Math.floor(x / y);
            }
            case "%" -> {
                requireNonZero(y);
                double r = x % y;
                yield r != 0 && (r < 0) != (y < 0) ? r + y : r;
            }
            case "**" -> Math.pow(x, y);
            default -> throw new IllegalStateException(op);
        };
    }

    private static long powExact(long base, long exp) {
        long result = 1;
        for (long i = 0; i < exp; i++) {
            result = Math.multiplyExact(result, base);
        }
        return result;
    }

    private static void requireNonZero(double y) {
        if (y == 0) {
            throw new TemplateRuntimeException("division by zero");
        }
    }

    static Object negate(Object v) {
        return switch (v) {
            case Long l -> -l;
            case Double d -> -d;
            case Boolean b -> b ? -1L : 0L;
            case Undefined u -> throw u.error();
            case null, default -> throw new TemplateRuntimeException("bad operand type for unary -: '" + PyValues.typeName(v) + "'");
        };
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object containerValue, Object itemValue) {
        Object container = PyValues.unwrapMarkup(containerValue);
        Object item = PyValues.unwrapMarkup(itemValue);
        return switch (container) {
            case String s -> {
                if (!(item instanceof String sub)) {
                    throw new TemplateRuntimeException("'in <string>' requires string as left operand, not "
                            + PyValues.typeName(item));
                }
                yield s.contains(sub);
            }
            case Map<?, ?> m -> m.containsKey(item) || m.keySet().stream().anyMatch(k -> PyValues.equal(k, item));
            case Collection<?> c -> c.stream().anyMatch(x -> PyValues.equal(x, item));
            case PyIterator it -> it.drain().stream().anyMatch(x -> PyValues.equal(x, item));
            case Undefined u -> false;
            case null, default -> throw new TemplateRuntimeException("argument of type '" + PyValues.typeName(container)
                    + "' is not iterable");
        };
    }

    /** {@code seq[start:stop:step]} with Python's clamping and negative indices. */
    static Object slice(Object seq, Object start, Object stop, Object step) {
        long st = step == null ? 1 : PyValues.asLong(requireInt(step));
        if (st == 0) {
            throw new TemplateRuntimeException("slice step cannot be zero");
        }
        List<Object> items = switch (seq) {
            case String s -> PyValues.characters(s);
            case Markup m -> PyValues.characters(m.text());
            case List<?> l -> new ArrayList<>(l);
            case Undefined u -> throw u.error();
            case null, default -> throw new TemplateRuntimeException("'" + PyValues.typeName(seq) + "' object is not subscriptable");
        };
        int n = items.size();
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clampIndex(PyValues.asLong(requireInt(start)), n, 0, n);
            hi = stop == null ? n : clampIndex(PyValues.asLong(requireInt(stop)), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clampIndex(PyValues.asLong(requireInt(start)), n, -1, n - 1);
            hi = stop == null ? -1 : clampIndex(PyValues.asLong(requireInt(stop)), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
            out.add(items.get((int) i));
        }
        if (seq instanceof String) {
            StringBuilder sb = new StringBuilder();
            out.forEach(c -> sb.append((String) c));
            return sb.toString();
        }
        return seq instanceof PyTuple ? PyTuple.of(out) : out;
    }

    private static long clampIndex(long i, int n, long min, long max) {
        if (i < 0) {
            i += n;
        }
        return Math.max(min, Math.min(max, i));
    }

    private static Object requireInt(Object v) {
        if (v == null || !PyValues.isIntegral(v)) {
            throw new TemplateRuntimeException("slice indices must be integers or None");
        }
        return v;
    }
}
