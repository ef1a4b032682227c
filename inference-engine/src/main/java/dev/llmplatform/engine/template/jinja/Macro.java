package dev.llmplatform.engine.template.jinja;

import java.util.List;

/** A {@code {% macro %}}: called like a function, it renders its body in a fresh scope and returns the text. */
final class Macro implements JinjaCallable {
    private final Node.MacroDef definition;
    private final Scope closure;
    private final Renderer renderer;

    Macro(Node.MacroDef definition, Scope closure, Renderer renderer) {
        this.definition = definition;
        this.closure = closure;
        this.renderer = renderer;
    }

    String name() {
        return definition.name();
    }

    @Override
    public Object call(Arguments args) {
        List<String> params = definition.params();
        if (args.size() > params.size()) {
            throw new TemplateRuntimeException("macro '" + name() + "' takes not more than " + params.size()
                    + " argument(s)");
        }
        for (String keyword : args.keywords().keySet()) {
            if (!params.contains(keyword) && !keyword.equals("caller")) {
                throw new TemplateRuntimeException("macro '" + name() + "' was invoked with an unknown keyword argument '"
                        + keyword + "'");
            }
        }
        Scope scope = new Scope(closure);
        if (args.keywords().containsKey("caller") && !params.contains("caller")) {
            scope.set("caller", args.keywords().get("caller"));
        }
        int firstDefault = params.size() - definition.defaults().size();
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            Object value;
            if (args.has(i, p)) {
                value = args.get(i, p, null);
            } else if (i >= firstDefault) {
                value = renderer.evaluate(definition.defaults().get(i - firstDefault), scope);
            } else {
                value = Undefined.because("parameter '" + p + "' was not provided");
            }
            scope.set(p, value);
        }
        StringBuilder out = new StringBuilder();
        renderer.executeMacro(definition.body(), scope, out);
        return out.toString();
    }
}
