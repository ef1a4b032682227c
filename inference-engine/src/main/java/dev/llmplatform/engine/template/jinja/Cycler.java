package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.List;

/** The object Jinja's {@code cycler(a, b, ...)} returns: {@code next()}, {@code current}, {@code reset()}. */
final class Cycler {
    private final List<Object> items;
    private int position;

    Cycler(List<Object> items) {
        if (items.isEmpty()) {
            throw new TemplateRuntimeException("at least one item has to be provided");
        }
        this.items = new ArrayList<>(items);
    }

    Object attribute(String name) {
        return switch (name) {
            case "current" -> current();
            case "next" -> (JinjaCallable) args -> {
                Object value = current();
                position = (position + 1) % items.size();
                return value;
            };
            case "reset" -> (JinjaCallable) args -> {
                position = 0;
                return null;
            };
            default -> Undefined.member(this, name);
        };
    }

    private Object current() {
        return items.get(position);
    }
}
