package dev.llmplatform.engine.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Executes statements and evaluates expressions of a parsed template. */
final class Renderer {
    /** The variable a {@code {% filter %}} block's rendered body is bound to while its filters run. */
    static final String FILTER_BLOCK_BODY = "\u0000filter body";

    /** Nested macro calls allowed; Python's recursion limit stops Jinja at about this depth. */
    private static final int MAX_MACRO_DEPTH = 200;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    private int macroDepth;

    /** Runs a macro body, failing like Python does when macros recurse without end. */
    void executeMacro(List<Node> body, Scope scope, StringBuilder out) {
        if (++macroDepth > MAX_MACRO_DEPTH) {
            macroDepth = 0;
            throw new TemplateRuntimeException("maximum recursion depth exceeded while calling a Python object");
        }
        try {
            execute(body, scope, out);
        } finally {
            macroDepth = Math.max(0, macroDepth - 1);
        }
    }

    Flow execute(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node node : nodes) {
            Flow flow;
            try {
                flow = executeOne(node, scope, out);
            } catch (TemplateRuntimeException e) {
                throw e.at(node.line());
            } catch (ArithmeticException e) {
                throw new TemplateRuntimeException("integer overflow", node.line());
            } catch (ClassCastException e) {
                throw new TemplateRuntimeException("wrong type of value: " + e.getMessage(), node.line());
            }
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow executeOne(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> out.append(t.text());
            case Node.Output o -> out.append(PyValues.str(evaluate(o.expr(), scope)));
            case Node.If i -> {
                for (int k = 0; k < i.conditions().size(); k++) {
                    if (PyValues.truthy(evaluate(i.conditions().get(k), scope))) {
                        return execute(i.branches().get(k), scope, out);
                    }
                }
                return execute(i.otherwise(), scope, out);
            }
            case Node.For f -> executeFor(f, scope, out);
            case Node.Set s -> assign(s, evaluate(s.value(), scope), scope);
            case Node.SetBlock s -> {
                StringBuilder captured = new StringBuilder();
                execute(s.body(), scope, captured);
                scope.set(s.target(), captured.toString());
            }
            case Node.MacroDef m -> scope.set(m.name(), new Macro(m, scope, this));
            case Node.FilterBlock f -> {
                StringBuilder captured = new StringBuilder();
                execute(f.body(), scope, captured);
                Scope inner = new Scope(scope);
                inner.set(FILTER_BLOCK_BODY, captured.toString());
                out.append(PyValues.str(evaluate(f.filter(), inner)));
            }
            case Node.CallBlock c -> {
                Macro caller = new Macro(c.caller(), scope, this);
                Arguments args = arguments(c.call().args(), c.call().kwargs(), scope);
                Map<String, Object> keywords = new LinkedHashMap<>(args.keywords());
                keywords.put("caller", caller);
                out.append(PyValues.str(call(evaluate(c.call().callee(), scope), new Arguments(args.positional(), keywords))));
            }
            case Node.Generation g -> {
                return execute(g.body(), scope, out);
            }
            case Node.Break b -> {
                return Flow.BREAK;
            }
            case Node.Continue c -> {
                return Flow.CONTINUE;
            }
        }
        return Flow.NORMAL;
    }

    private void executeFor(Node.For f, Scope scope, StringBuilder out) {
        Object iterable = evaluate(f.iterable(), scope);
        List<Object> items = PyValues.toList(iterable);
        Scope loopScope = new Scope(scope);
        if (f.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                bindTargets(f.targets(), item, loopScope);
                if (PyValues.truthy(evaluate(f.filter(), loopScope))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            execute(f.otherwise(), scope, out);
            return;
        }
        LoopContext loop = new LoopContext(items);
        loopScope.set("loop", loop);
        for (int k = 0; k < items.size(); k++) {
            loop.advance(k);
            bindTargets(f.targets(), items.get(k), loopScope);
            if (execute(f.body(), loopScope, out) == Flow.BREAK) {
                break;
            }
        }
    }

    private static void bindTargets(List<String> targets, Object value, Scope scope) {
        if (targets.size() == 1) {
            scope.set(targets.getFirst(), value);
            return;
        }
        List<Object> parts = PyValues.toList(value);
        if (parts.size() != targets.size()) {
            throw new TemplateRuntimeException(parts.size() > targets.size()
                    ? "too many values to unpack (expected " + targets.size() + ")"
                    : "not enough values to unpack (expected " + targets.size() + ", got " + parts.size() + ")");
        }
        for (int k = 0; k < targets.size(); k++) {
            scope.set(targets.get(k), parts.get(k));
        }
    }

    private void assign(Node.Set s, Object value, Scope scope) {
        if (s.attribute() == null) {
            bindTargets(s.targets(), value, scope);
            return;
        }
        Object target = scope.lookup(s.targets().getFirst());
        if (!(target instanceof Namespace ns)) {
            throw new TemplateRuntimeException("cannot assign attribute on non-namespace object");
        }
        ns.set(s.attribute(), value);
    }

    // ---- expressions ----

    Object evaluate(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Literal l -> l.value();
            case Expr.Name n -> scope.lookup(n.name());
            case Expr.Attribute a -> Members.attribute(evaluate(a.target(), scope), a.name());
            case Expr.Item i -> Members.item(evaluate(i.target(), scope), evaluate(i.key(), scope));
            case Expr.Slice s -> PyOps.slice(evaluate(s.target(), scope), evaluateOrNull(s.start(), scope),
                    evaluateOrNull(s.stop(), scope), evaluateOrNull(s.step(), scope));
            case Expr.Call c -> call(evaluate(c.callee(), scope), arguments(c.args(), c.kwargs(), scope));
            case Expr.Filter f -> Filters.apply(f.name(), evaluate(f.value(), scope), arguments(f.args(), f.kwargs(), scope));
            case Expr.Test t -> {
                List<Object> args = new ArrayList<>();
                for (Expr a : t.args()) {
                    args.add(evaluate(a, scope));
                }
                yield Tests.apply(t.name(), evaluate(t.value(), scope), args) != t.negated();
            }
            case Expr.Unary u -> switch (u.op()) {
                case "not" -> !PyValues.truthy(evaluate(u.operand(), scope));
                case "-" -> PyOps.negate(evaluate(u.operand(), scope));
                default -> {
                    Object v = evaluate(u.operand(), scope);
                    if (!PyValues.isNumber(v)) {
                        throw new TemplateRuntimeException("bad operand type for unary +: '" + PyValues.typeName(v) + "'");
                    }
                    yield v instanceof Boolean b ? (Object) (b ? 1L : 0L) : v;
                }
            };
            case Expr.Binary b -> binary(b, scope);
            case Expr.Compare c -> compare(c, scope);
            case Expr.Conditional c -> PyValues.truthy(evaluate(c.cond(), scope)) ? evaluate(c.then(), scope)
                    : c.otherwise() != null ? evaluate(c.otherwise(), scope)
                    : Undefined.because("the inline if-expression on line " + c.line() + " evaluated to false and no else section was defined.");
            case Expr.Splat s -> throw new TemplateRuntimeException("unexpected * outside of a call's arguments");
            case Expr.ListLiteral l -> {
                List<Object> out = new ArrayList<>(l.items().size());
                for (Expr e : l.items()) {
                    out.add(evaluate(e, scope));
                }
                yield out;
            }
            case Expr.TupleLiteral t -> {
                List<Object> out = new ArrayList<>(t.items().size());
                for (Expr e : t.items()) {
                    out.add(evaluate(e, scope));
                }
                yield PyTuple.of(out);
            }
            case Expr.DictLiteral d -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int k = 0; k < d.keys().size(); k++) {
                    out.put(evaluate(d.keys().get(k), scope), evaluate(d.values().get(k), scope));
                }
                yield out;
            }
        };
    }

    private Object evaluateOrNull(Expr e, Scope scope) {
        return e == null ? null : evaluate(e, scope);
    }

    private Arguments arguments(List<Expr> args, Map<String, Expr> kwargs, Scope scope) {
        List<Object> positional = new ArrayList<>(args.size());
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (Expr a : args) {
            if (a instanceof Expr.Splat s && s.keywords()) {
                if (!(evaluate(s.value(), scope) instanceof Map<?, ?> m)) {
                    throw new TemplateRuntimeException("argument after ** must be a mapping");
                }
                m.forEach((k, v) -> keywords.put(PyValues.str(k), v));
            } else if (a instanceof Expr.Splat s) {
                positional.addAll(PyValues.toList(evaluate(s.value(), scope)));
            } else {
                positional.add(evaluate(a, scope));
            }
        }
        kwargs.forEach((k, v) -> keywords.put(k, evaluate(v, scope)));
        return new Arguments(positional, keywords);
    }

    private static Object call(Object callee, Arguments args) {
        return switch (callee) {
            case JinjaCallable f -> f.call(args);
            case Undefined u -> throw u.error();
            case null, default -> throw new TemplateRuntimeException("'" + PyValues.typeName(callee) + "' object is not callable");
        };
    }

    private Object binary(Expr.Binary b, Scope scope) {
        Object left = evaluate(b.left(), scope);
        return switch (b.op()) {
            case "and" -> PyValues.truthy(left) ? evaluate(b.right(), scope) : left;
            case "or" -> PyValues.truthy(left) ? left : evaluate(b.right(), scope);
            case "~" -> PyValues.str(left) + PyValues.str(evaluate(b.right(), scope));
            default -> PyOps.binary(b.op(), left, evaluate(b.right(), scope));
        };
    }

    private boolean compare(Expr.Compare c, Scope scope) {
        Object left = evaluate(c.first(), scope);
        for (int k = 0; k < c.ops().size(); k++) {
            Object right = evaluate(c.operands().get(k), scope);
            boolean ok = switch (c.ops().get(k)) {
                case "==" -> PyValues.equal(left, right);
                case "!=" -> !PyValues.equal(left, right);
                case "<" -> PyValues.compare(left, right) < 0;
                case "<=" -> PyValues.compare(left, right) <= 0;
                case ">" -> PyValues.compare(left, right) > 0;
                case ">=" -> PyValues.compare(left, right) >= 0;
                case "in" -> PyOps.contains(right, left);
                case "notin" -> !PyOps.contains(right, left);
                default -> throw new IllegalStateException(c.ops().get(k));
            };
            if (!ok) {
                return false;
            }
            left = right;
        }
        return true;
    }
}
