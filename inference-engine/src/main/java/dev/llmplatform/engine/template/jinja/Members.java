package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attribute ({@code x.name}) and item ({@code x[key]}) access with Jinja's sandbox rules: for
 * {@code x.name} a Python attribute (such as the method {@code dict.items}) wins over a key; for
 * {@code x[key]} the key wins. Methods that would mutate a value are refused, as transformers'
 * ImmutableSandboxedEnvironment does.
 */
final class Members {
    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get", "copy");
    private static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    private static final Set<String> LIST_METHODS = Set.of("index", "count", "copy");
    private static final Set<String> LIST_MUTATORS = Set.of("append", "clear", "extend", "insert", "pop", "remove",
            "reverse", "sort");

    private Members() {
    }

    static Object attribute(Object target, String name) {
        target = PyValues.unwrapMarkup(target);
        return switch (target) {
            case Undefined u -> throw u.error();
            case Map<?, ?> m -> {
                if (DICT_METHODS.contains(name)) {
                    yield dictMethod(m, name);
                }
                if (DICT_MUTATORS.contains(name)) {
                    yield unsafe(target, name);
                }
                yield m.containsKey(name) ? m.get(name) : Undefined.member(target, name);
            }
            case String s -> StringMethods.has(name) ? StringMethods.bind(s, name) : Undefined.member(target, name);
            case List<?> l -> {
                if (LIST_METHODS.contains(name)) {
                    yield listMethod(l, name);
                }
                yield LIST_MUTATORS.contains(name) ? unsafe(target, name) : Undefined.member(target, name);
            }
            case Namespace ns -> ns.get(name);
            case LoopContext loop -> loop.attribute(name);
            case Cycler cycler -> cycler.attribute(name);
            case null, default -> Undefined.member(target, name);
        };
    }

    static Object item(Object target, Object key) {
        target = PyValues.unwrapMarkup(target);
        key = PyValues.unwrapMarkup(key);
        return switch (target) {
            case Undefined u -> throw u.error();
            case Map<?, ?> m -> {
                if (m.containsKey(key)) {
                    yield m.get(key);
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (PyValues.equal(e.getKey(), key)) {
                        yield e.getValue();
                    }
                }
                yield key instanceof String s ? attribute(target, s) : Undefined.member(target, key);
            }
            case List<?> l -> {
                if (key instanceof String s) {
                    yield attribute(target, s);
                }
                yield index(l, key, target);
            }
            case String s -> {
                if (key instanceof String name) {
                    yield attribute(target, name);
                }
                yield index(PyValues.characters(s), key, target);
            }
            case Namespace ns -> key instanceof String s ? ns.get(s) : Undefined.member(target, key);
            case LoopContext loop -> key instanceof String s ? loop.attribute(s) : Undefined.member(target, key);
            case null, default -> Undefined.member(target, key);
        };
    }

    private static Object index(List<?> items, Object key, Object owner) {
        if (!PyValues.isIntegral(key)) {
            throw new TemplateRuntimeException(PyValues.typeName(owner) + " indices must be integers or slices, not "
                    + PyValues.typeName(key));
        }
        long i = PyValues.asLong(key);
        if (i < 0) {
            i += items.size();
        }
        return i >= 0 && i < items.size() ? items.get((int) i) : Undefined.member(owner, key);
    }

    private static Undefined unsafe(Object target, String name) {
        return Undefined.because("access to attribute '" + name + "' of '" + PyValues.typeName(target)
                + "' object is unsafe.");
    }

    private static JinjaCallable dictMethod(Map<?, ?> m, String name) {
        return switch (name) {
            case "items" -> args -> {
                List<Object> out = new ArrayList<>(m.size());
                m.forEach((k, v) -> out.add(new PyTuple(k, v)));
                return out;
            };
            case "keys" -> args -> new ArrayList<Object>(m.keySet());
            case "values" -> args -> new ArrayList<Object>(m.values());
            case "copy" -> args -> new java.util.LinkedHashMap<Object, Object>(m);
            case "get" -> args -> {
                Object key = args.require(0, "key", "get");
                return m.containsKey(key) ? m.get(key) : args.get(1, "default", null);
            };
            default -> throw new IllegalStateException(name);
        };
    }

    private static JinjaCallable listMethod(List<?> l, String name) {
        return switch (name) {
            case "index" -> args -> {
                Object x = args.require(0, "value", "index");
                for (int i = 0; i < l.size(); i++) {
                    if (PyValues.equal(l.get(i), x)) {
                        return (long) i;
                    }
                }
                throw new TemplateRuntimeException(PyValues.repr(x) + " is not in list");
            };
            case "count" -> args -> {
                Object x = args.require(0, "value", "count");
                return l.stream().filter(v -> PyValues.equal(v, x)).count();
            };
            case "copy" -> args -> new ArrayList<Object>(l);
            default -> throw new IllegalStateException(name);
        };
    }
}
