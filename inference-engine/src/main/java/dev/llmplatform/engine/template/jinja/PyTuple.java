package dev.llmplatform.engine.template.jinja;

import java.util.AbstractList;
import java.util.List;

/** An immutable Python tuple (e.g. the {@code (key, value)} pairs of {@code items()}); renders as {@code (a, b)}. */
public final class PyTuple extends AbstractList<Object> {
    private final Object[] items;

    public PyTuple(Object... items) {
        this.items = items.clone();
    }

    public static PyTuple of(List<?> items) {
        return new PyTuple(items.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }
}
