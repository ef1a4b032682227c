package dev.llmplatform.engine.template.jinja;

import java.util.List;
import java.util.Map;

/**
 * The arguments of a call, filter or test: positional values, then keyword values, with Python's rule
 * that a parameter may be given either way.
 */
public record Arguments(List<Object> positional, Map<String, Object> keywords) {
    public static final Arguments NONE = new Arguments(List.of(), Map.of());

    public static Arguments of(Object... positional) {
        return new Arguments(java.util.Arrays.asList(positional), Map.of());
    }

    public int size() {
        return positional.size();
    }

    /** Parameter {@code index} / {@code name}, or {@code fallback} when given neither way. */
    public Object get(int index, String name, Object fallback) {
        if (index >= 0 && index < positional.size()) {
            return positional.get(index);
        }
        if (name != null && keywords.containsKey(name)) {
            return keywords.get(name);
        }
        return fallback;
    }

    public boolean has(int index, String name) {
        return index < positional.size() || keywords.containsKey(name);
    }

    /** A required parameter; a missing one is a template error naming {@code function}. */
    public Object require(int index, String name, String function) {
        if (!has(index, name)) {
            throw new TemplateRuntimeException(function + "() missing required argument '" + name + "'");
        }
        return get(index, name, null);
    }
}
