package dev.llmplatform.engine.template.jinja;

import java.util.List;

/** Statement nodes of the template AST. */
sealed interface Node {
    int line();

    record Text(String text, int line) implements Node { }

    record Output(Expr expr, int line) implements Node { }

    record If(List<Expr> conditions, List<List<Node>> branches, List<Node> otherwise, int line) implements Node { }

    /** {@code for targets in iterable [if filter]} with an optional {@code else} for no iterations. */
    record For(List<String> targets, Expr iterable, Expr filter, List<Node> body, List<Node> otherwise, int line)
            implements Node { }

    /** {@code set a = v}, {@code set a, b = v} or, with {@code attribute}, {@code set ns.attr = v}. */
    record Set(List<String> targets, String attribute, Expr value, int line) implements Node { }

    /** {@code {% set name %}...{% endset %}}: captures the rendered body as a string. */
    record SetBlock(String target, List<Node> body, int line) implements Node { }

    record MacroDef(String name, List<String> params, List<Expr> defaults, List<Node> body, int line)
            implements Node { }

    /**
     * {@code {% call(params) macro(args) %}body{% endcall %}}: calls the macro with the body as an extra
     * macro named {@code caller}.
     */
    record CallBlock(Expr.Call call, MacroDef caller, int line) implements Node { }

    /** {@code {% filter name(args) %}...{% endfilter %}}: the body's output through a filter. */
    record FilterBlock(Expr.Filter filter, List<Node> body, int line) implements Node { }

    /** Transformers' {@code {% generation %}} marker: renders its body unchanged. */
    record Generation(List<Node> body, int line) implements Node { }

    record Break(int line) implements Node { }

    record Continue(int line) implements Node { }
}
