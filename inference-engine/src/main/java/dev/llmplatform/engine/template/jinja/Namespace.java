package dev.llmplatform.engine.template.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object {@code namespace(...)} returns: the one mutable thing a template may change from inside a
 * loop or macro ({@code {% set ns.found = true %}}), since plain {@code set} there is scoped.
 */
public final class Namespace {
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    public Namespace(Map<String, Object> initial) {
        attributes.putAll(initial);
    }

    public Object get(String name) {
        return attributes.containsKey(name) ? attributes.get(name) : Undefined.member(this, name);
    }

    public void set(String name, Object value) {
        attributes.put(name, value);
    }

    Map<String, Object> attributes() {
        return attributes;
    }
}
