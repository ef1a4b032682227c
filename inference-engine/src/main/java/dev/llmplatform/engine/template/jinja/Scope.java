package dev.llmplatform.engine.template.jinja;

import java.util.HashMap;
import java.util.Map;

/**
 * A frame of variables. Loops and macro calls open a child frame, so a {@code set} inside them does not
 * leak out (Jinja's scoping rule); {@code if} blocks share their parent's frame.
 */
final class Scope {
    private static final Object MISSING = new Object();

    private final Scope parent;
    private final Map<String, Object> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.getOrDefault(name, MISSING);
            if (v != MISSING) {
                return v;
            }
        }
        return Undefined.variable(name);
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
