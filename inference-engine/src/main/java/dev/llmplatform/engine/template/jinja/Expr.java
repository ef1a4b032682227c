package dev.llmplatform.engine.template.jinja;

import java.util.List;
import java.util.Map;

/** Expression nodes of the template AST. {@code line} is where the expression starts. */
sealed interface Expr {
    int line();

    record Literal(Object value, int line) implements Expr { }

    record Name(String name, int line) implements Expr { }

    /** {@code obj.name}: Jinja tries the attribute first, then the item. */
    record Attribute(Expr target, String name, int line) implements Expr { }

    /** {@code obj[key]}: Jinja tries the item first, then the attribute. */
    record Item(Expr target, Expr key, int line) implements Expr { }

    /** {@code obj[start:stop:step]}; missing parts are null. */
    record Slice(Expr target, Expr start, Expr stop, Expr step, int line) implements Expr { }

    record Call(Expr callee, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr { }

    record Filter(Expr value, String name, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr { }

    record Test(Expr value, String name, List<Expr> args, boolean negated, int line) implements Expr { }

    /** {@code not}, unary {@code -} and {@code +}. */
    record Unary(String op, Expr operand, int line) implements Expr { }

    /** Arithmetic, {@code ~}, {@code and}/{@code or}. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr { }

    /** A comparison chain {@code a < b <= c}; ops are ==, !=, <, <=, >, >=, in, notin. */
    record Compare(Expr first, List<String> ops, List<Expr> operands, int line) implements Expr { }

    /** {@code then if cond else otherwise}; {@code otherwise} may be null (then Undefined). */
    record Conditional(Expr cond, Expr then, Expr otherwise, int line) implements Expr { }

    /** {@code *args} / {@code **kwargs} in a call's argument list. */
    record Splat(Expr value, boolean keywords, int line) implements Expr { }

    record ListLiteral(List<Expr> items, int line) implements Expr { }

    record TupleLiteral(List<Expr> items, int line) implements Expr { }

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr { }
}
