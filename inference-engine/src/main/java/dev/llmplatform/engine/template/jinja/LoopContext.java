package dev.llmplatform.engine.template.jinja;

import java.util.List;

/** The {@code loop} variable inside a for loop: position, neighbours and {@code cycle()}. */
public final class LoopContext {
    private final List<Object> items;
    private int index0;

    LoopContext(List<Object> items) {
        this.items = items;
    }

    void advance(int index0) {
        this.index0 = index0;
    }

    public long index() {
        return index0 + 1;
    }

    public long length() {
        return items.size();
    }

    /** The attribute {@code loop.name}, or Undefined for names a loop does not have. */
    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            // depth counts recursive-loop levels, which are not supported: a plain loop is always depth 1.
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.because("there is no previous item");
            case "nextitem" -> index0 < n - 1 ? items.get(index0 + 1) : Undefined.because("there is no next item");
            case "cycle" -> (JinjaCallable) args -> {
                if (args.size() == 0) {
                    throw new TemplateRuntimeException("no items for cycling given");
                }
                return args.positional().get(index0 % args.size());
            };
            default -> Undefined.member(this, name);
        };
    }
}
