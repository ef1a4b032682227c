package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled Jinja2 template: the subset of Jinja2 that model chat templates use (statements if/for/set/
 * macro/filter with loop controls, the full expression grammar, Jinja's filters and tests, Python
 * semantics for values), written for exact output rather than speed of compilation.
 *
 * <p>Thread-safe: a template holds only its AST; each render has its own variables.
 */
public final class Template {
    private static final Map<String, Object> BUILTIN_GLOBALS = builtinGlobals();

    private final List<Node> body;

    private Template(List<Node> body) {
        this.body = body;
    }

    /**
     * Parses {@code source}.
     *
     * @param trimBlocks   Jinja's {@code trim_blocks}: drop the first newline after a block tag
     * @param lstripBlocks Jinja's {@code lstrip_blocks}: drop a line's indentation before a block tag
     * @throws TemplateSyntaxException with line and column when the source does not parse
     */
    public static Template compile(String source, boolean trimBlocks, boolean lstripBlocks) {
        return new Template(Parser.parse(Lexer.tokenize(source, trimBlocks, lstripBlocks)));
    }

    /**
     * Renders with {@code variables} (normalised with {@link PyValues#normalize}, so plain Java maps,
     * lists and boxed numbers work; {@link JinjaCallable} values become functions).
     *
     * @throws TemplateRuntimeException when rendering fails, including errors the template raises
     */
    public String render(Map<String, ?> variables) {
        Scope globals = new Scope(null);
        BUILTIN_GLOBALS.forEach(globals::set);
        variables.forEach((k, v) -> globals.set(k, PyValues.normalize(v)));
        Scope top = new Scope(globals);
        StringBuilder out = new StringBuilder();
        try {
            new Renderer().execute(body, top, out);
        } catch (StackOverflowError e) {
            throw new TemplateRuntimeException("maximum recursion depth exceeded while calling a Python object");
        }
        return out.toString();
    }

    private static Map<String, Object> builtinGlobals() {
        Map<String, Object> g = new HashMap<>();
        g.put("namespace", (JinjaCallable) args -> {
            Map<String, Object> initial = new LinkedHashMap<>();
            for (Object positional : args.positional()) {
                if (positional instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> initial.put(PyValues.str(k), v));
                }
            }
            initial.putAll(args.keywords());
            return new Namespace(initial);
        });
        g.put("dict", (JinjaCallable) args -> {
            Map<Object, Object> out = new LinkedHashMap<>();
            if (args.size() > 0 && args.positional().getFirst() instanceof Map<?, ?> m) {
                out.putAll(m);
            }
            out.putAll(args.keywords());
            return out;
        });
        g.put("range", (JinjaCallable) Template::range);
        g.put("joiner", (JinjaCallable) args -> {
            String separator = PyValues.str(args.get(0, "sep", ", "));
            boolean[] used = {false};
            return (JinjaCallable) ignored -> {
                if (used[0]) {
                    return separator;
                }
                used[0] = true;
                return "";
            };
        });
        g.put("cycler", (JinjaCallable) args -> new Cycler(args.positional()));
        return Map.copyOf(g);
    }

    private static Object range(Arguments args) {
        long start = 0;
        long stop;
        long step = 1;
        List<Object> p = args.positional();
        if (p.isEmpty() || p.size() > 3 || !p.stream().allMatch(PyValues::isIntegral)) {
            throw new TemplateRuntimeException("range() expects 1 to 3 integer arguments");
        }
        if (p.size() == 1) {
            stop = PyValues.asLong(p.getFirst());
        } else {
            start = PyValues.asLong(p.get(0));
            stop = PyValues.asLong(p.get(1));
            if (p.size() == 3) {
                step = PyValues.asLong(p.get(2));
            }
        }
        if (step == 0) {
            throw new TemplateRuntimeException("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= 100_000) {
                throw new TemplateRuntimeException("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
            }
            out.add(i);
        }
        return out;
    }
}
