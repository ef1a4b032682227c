package dev.llmplatform.engine.template.jinja;

import java.util.List;

/**
 * A one-shot Python iterator, such as the generator Jinja's {@code map}, {@code select*},
 * {@code reject*} and {@code items} filters return, or the {@code reversed()} iterator of
 * {@code reverse}. It matters for exactness: it is always truthy, has no {@code len()}, is not
 * JSON-serialisable, and a second iteration yields nothing, so {@code tools|map(attribute='x')|tojson}
 * fails here exactly as it does under transformers.
 */
public final class PyIterator {
    private final String typeName;
    private List<Object> remaining;

    PyIterator(String typeName, List<Object> items) {
        this.typeName = typeName;
        this.remaining = items;
    }

    String typeName() {
        return typeName;
    }

    /** The items not consumed yet; the iterator is exhausted afterwards. */
    List<Object> drain() {
        List<Object> items = remaining;
        remaining = List.of();
        return items;
    }
}
