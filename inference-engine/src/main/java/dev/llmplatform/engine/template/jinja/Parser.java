package dev.llmplatform.engine.template.jinja;

import dev.llmplatform.engine.template.jinja.Token.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser from tokens to the AST, following Jinja2's grammar and operator precedence
 * (loosest first): conditional {@code x if c else y}; {@code or}; {@code and}; {@code not}; comparisons
 * and {@code in}; {@code + -}; {@code ~}; {@code * / // %}; {@code **}; unary {@code - +}; then a primary
 * with its postfix {@code .attr [item] (call)} and filters/tests {@code | f} / {@code is t}.
 */
final class Parser {
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final List<Token> tokens;
    private int i;
    private int loopDepth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Node> parse(List<Token> tokens) {
        return new Parser(tokens).parseBody(Set.of());
    }

    // ---- statements ----

    /** Nodes up to (not including) a block tag whose name is in {@code endTags}, or the end. */
    private List<Node> parseBody(Set<String> endTags) {
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case TEXT -> {
                    next();
                    body.add(new Node.Text(t.text(), t.line()));
                }
                case VARIABLE_BEGIN -> {
                    next();
                    Expr e = parseExpression(true);
                    expect(Kind.VARIABLE_END);
                    body.add(new Node.Output(e, t.line()));
                }
                case BLOCK_BEGIN -> {
                    Token name = peek(1);
                    if (name.kind() == Kind.NAME && endTags.contains(name.text())) {
                        return body;
                    }
                    next();
                    body.add(parseStatement());
                }
                case EOF -> {
                    if (!endTags.isEmpty()) {
                        throw error("unexpected end of template; expected " + describeTags(endTags), t);
                    }
                    return body;
                }
                default -> throw error("unexpected " + t.describe(), t);
            }
        }
    }

    private static String describeTags(Set<String> tags) {
        return tags.stream().sorted().map(s -> "'" + s + "'").reduce((a, b) -> a + " or " + b).orElse("");
    }

    /** Consumes {@code {% name} (the block begin is already consumed) and checks it is one of {@code names}. */
    private String endTag(Set<String> names) {
        next(); // BLOCK_BEGIN
        Token name = next();
        if (name.kind() != Kind.NAME || !names.contains(name.text())) {
            throw error("expected " + describeTags(names), name);
        }
        return name.text();
    }

    private Node parseStatement() {
        Token keyword = next();
        if (keyword.kind() != Kind.NAME) {
            throw error("expected a statement name, got " + keyword.describe(), keyword);
        }
        int line = keyword.line();
        return switch (keyword.text()) {
            case "if" -> parseIf(line);
            case "for" -> parseFor(line);
            case "set" -> parseSet(line);
            case "macro" -> parseMacro(line);
            case "filter" -> parseFilterBlock(line);
            case "call" -> parseCallBlock(line);
            case "generation" -> {
                expect(Kind.BLOCK_END);
                List<Node> body = parseBody(Set.of("endgeneration"));
                endTag(Set.of("endgeneration"));
                expect(Kind.BLOCK_END);
                yield new Node.Generation(body, line);
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw error("'" + keyword.text() + "' outside of a loop", keyword);
                }
                expect(Kind.BLOCK_END);
                yield keyword.text().equals("break") ? new Node.Break(line) : new Node.Continue(line);
            }
            default -> throw error("encountered unknown tag '" + keyword.text() + "'", keyword);
        };
    }

    private Node parseIf(int line) {
        List<Expr> conditions = new ArrayList<>();
        List<List<Node>> branches = new ArrayList<>();
        List<Node> otherwise = List.of();
        conditions.add(parseExpression(true));
        expect(Kind.BLOCK_END);
        Set<String> ends = Set.of("elif", "else", "endif");
        branches.add(parseBody(ends));
        while (true) {
            String tag = endTag(ends);
            if (tag.equals("elif")) {
                conditions.add(parseExpression(true));
                expect(Kind.BLOCK_END);
                branches.add(parseBody(ends));
            } else if (tag.equals("else")) {
                expect(Kind.BLOCK_END);
                otherwise = parseBody(Set.of("endif"));
                endTag(Set.of("endif"));
                expect(Kind.BLOCK_END);
                break;
            } else {
                expect(Kind.BLOCK_END);
                break;
            }
        }
        return new Node.If(conditions, branches, otherwise, line);
    }

    private Node parseFor(int line) {
        List<String> targets = parseTargets();
        Token in = next();
        if (!in.isName("in")) {
            throw error("expected 'in', got " + in.describe(), in);
        }
        Expr iterable = parseExpression(false);
        Expr filter = null;
        if (peek().isName("if")) {
            next();
            filter = parseExpression(true);
        }
        if (peek().isName("recursive")) {
            throw error("recursive loops are not supported", peek());
        }
        expect(Kind.BLOCK_END);
        loopDepth++;
        List<Node> body = parseBody(Set.of("else", "endfor"));
        loopDepth--;
        List<Node> otherwise = List.of();
        if (endTag(Set.of("else", "endfor")).equals("else")) {
            expect(Kind.BLOCK_END);
            otherwise = parseBody(Set.of("endfor"));
            endTag(Set.of("endfor"));
        }
        expect(Kind.BLOCK_END);
        return new Node.For(targets, iterable, filter, body, otherwise, line);
    }

    /** {@code a} or {@code a, b} or {@code (a, b)}. */
    private List<String> parseTargets() {
        boolean parenthesized = peek().isOperator("(");
        if (parenthesized) {
            next();
        }
        List<String> names = new ArrayList<>();
        names.add(expectName());
        while (peek().isOperator(",")) {
            next();
            if (peek().kind() != Kind.NAME) {
                break;
            }
            names.add(expectName());
        }
        if (parenthesized) {
            expectOperator(")");
        }
        return names;
    }

    private Node parseSet(int line) {
        Token first = peek();
        List<String> targets = parseTargets();
        String attribute = null;
        if (targets.size() == 1 && peek().isOperator(".")) {
            next();
            attribute = expectName();
        }
        if (peek().isOperator("=")) {
            next();
            Expr value = parseTupleOrExpression();
            expect(Kind.BLOCK_END);
            return new Node.Set(targets, attribute, value, line);
        }
        if (targets.size() != 1 || attribute != null) {
            throw error("expected '='", peek());
        }
        expect(Kind.BLOCK_END);
        List<Node> body = parseBody(Set.of("endset"));
        endTag(Set.of("endset"));
        expect(Kind.BLOCK_END);
        return new Node.SetBlock(first.text(), body, line);
    }

    private Expr parseTupleOrExpression() {
        Expr first = parseExpression(true);
        if (!peek().isOperator(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (peek().isOperator(",")) {
            next();
            if (peek().kind() == Kind.BLOCK_END) {
                break;
            }
            items.add(parseExpression(true));
        }
        return new Expr.TupleLiteral(items, first.line());
    }

    private Node parseCallBlock(int line) {
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (peek().isOperator("(")) {
            next();
            parseParameters(params, defaults);
        }
        Expr call = parseExpression(true);
        if (!(call instanceof Expr.Call c)) {
            throw error("expected a call after 'call'", peek());
        }
        expect(Kind.BLOCK_END);
        List<Node> body = parseMacroBody("endcall");
        return new Node.CallBlock(c, new Node.MacroDef("caller", params, defaults, body, line), line);
    }

    private Node parseMacro(int line) {
        String name = expectName();
        expectOperator("(");
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parseParameters(params, defaults);
        expect(Kind.BLOCK_END);
        return new Node.MacroDef(name, params, defaults, parseMacroBody("endmacro"), line);
    }

    /** Parameters with optional defaults, after an already consumed {@code (}, through {@code )}. */
    private void parseParameters(List<String> params, List<Expr> defaults) {
        while (!peek().isOperator(")")) {
            if (!params.isEmpty()) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            params.add(expectName());
            if (peek().isOperator("=")) {
                next();
                defaults.add(parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw error("non-default argument follows default argument", peek());
            }
        }
        next();
    }

    private List<Node> parseMacroBody(String endTag) {
        int savedDepth = loopDepth;
        loopDepth = 0;
        List<Node> body = parseBody(Set.of(endTag));
        loopDepth = savedDepth;
        endTag(Set.of(endTag));
        expect(Kind.BLOCK_END);
        return body;
    }

    private Node parseFilterBlock(int line) {
        Expr.Filter filter = parseFilter(new Expr.Name(Renderer.FILTER_BLOCK_BODY, line));
        while (peek().isOperator("|")) {
            next();
            filter = parseFilter(filter);
        }
        expect(Kind.BLOCK_END);
        List<Node> body = parseBody(Set.of("endfilter"));
        endTag(Set.of("endfilter"));
        expect(Kind.BLOCK_END);
        return new Node.FilterBlock(filter, body, line);
    }

    // ---- expressions ----

    Expr parseExpression(boolean withConditional) {
        Expr e = parseOr();
        while (withConditional && peek().isName("if")) {
            int line = next().line();
            Expr cond = parseOr();
            Expr otherwise = null;
            if (peek().isName("else")) {
                next();
                otherwise = parseExpression(true);
            }
            e = new Expr.Conditional(cond, e, otherwise, line);
        }
        return e;
    }

    private Expr parseOr() {
        Expr e = parseAnd();
        while (peek().isName("or")) {
            int line = next().line();
            e = new Expr.Binary("or", e, parseAnd(), line);
        }
        return e;
    }

    private Expr parseAnd() {
        Expr e = parseNot();
        while (peek().isName("and")) {
            int line = next().line();
            e = new Expr.Binary("and", e, parseNot(), line);
        }
        return e;
    }

    private Expr parseNot() {
        if (peek().isName("not")) {
            int line = next().line();
            return new Expr.Unary("not", parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.OPERATOR && COMPARE_OPS.contains(t.text())) {
                next();
                ops.add(t.text());
            } else if (t.isName("in")) {
                next();
                ops.add("in");
            } else if (t.isName("not") && peek(1).isName("in")) {
                next();
                next();
                ops.add("notin");
            } else {
                break;
            }
            operands.add(parseMath1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, operands, first.line());
    }

    private Expr parseMath1() {
        Expr e = parseConcat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            e = new Expr.Binary(op.text(), e, parseConcat(), op.line());
        }
        return e;
    }

    private Expr parseConcat() {
        Expr e = parseMath2();
        while (peek().isOperator("~")) {
            Token op = next();
            e = new Expr.Binary("~", e, parseMath2(), op.line());
        }
        return e;
    }

    private Expr parseMath2() {
        Expr e = parsePow();
        while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("//") || peek().isOperator("%")) {
            Token op = next();
            e = new Expr.Binary(op.text(), e, parsePow(), op.line());
        }
        return e;
    }

    private Expr parsePow() {
        Expr e = parseUnary(true);
        while (peek().isOperator("**")) {
            Token op = next();
            e = new Expr.Binary("**", e, parseUnary(true), op.line());
        }
        return e;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = peek();
        Expr e;
        if (t.isOperator("-") || t.isOperator("+")) {
            next();
            e = new Expr.Unary(t.text(), parseUnary(false), t.line());
        } else {
            e = parsePostfix(parsePrimary());
        }
        return withFilter ? parseFiltersAndTests(e) : e;
    }

    private Expr parsePrimary() {
        Token t = next();
        int line = t.line();
        switch (t.kind()) {
            case NAME -> {
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Literal(true, line);
                    case "false", "False" -> new Expr.Literal(false, line);
                    case "none", "None" -> new Expr.Literal(null, line);
                    default -> new Expr.Name(t.text(), line);
                };
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    sb.append(next().text());
                }
                return new Expr.Literal(sb.toString(), line);
            }
            case INTEGER -> {
                try {
                    return new Expr.Literal(Long.parseLong(t.text()), line);
                } catch (NumberFormatException e) {
                    throw error("integer literal out of range", t);
                }
            }
            case FLOAT -> {
                return new Expr.Literal(Double.parseDouble(t.text()), line);
            }
            case OPERATOR -> {
                switch (t.text()) {
                    case "(" -> {
                        return parseParenthesized(line);
                    }
                    case "[" -> {
                        List<Expr> items = new ArrayList<>();
                        while (!peek().isOperator("]")) {
                            if (!items.isEmpty()) {
                                expectOperator(",");
                                if (peek().isOperator("]")) {
                                    break;
                                }
                            }
                            items.add(parseExpression(true));
                        }
                        next();
                        return new Expr.ListLiteral(items, line);
                    }
                    case "{" -> {
                        List<Expr> keys = new ArrayList<>();
                        List<Expr> values = new ArrayList<>();
                        while (!peek().isOperator("}")) {
                            if (!keys.isEmpty()) {
                                expectOperator(",");
                                if (peek().isOperator("}")) {
                                    break;
                                }
                            }
                            keys.add(parseExpression(true));
                            expectOperator(":");
                            values.add(parseExpression(true));
                        }
                        next();
                        return new Expr.DictLiteral(keys, values, line);
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        throw error("expected an expression, got " + t.describe(), t);
    }

    /** {@code (expr)}, {@code ()} or a tuple {@code (a, b)}. */
    private Expr parseParenthesized(int line) {
        if (peek().isOperator(")")) {
            next();
            return new Expr.TupleLiteral(List.of(), line);
        }
        Expr first = parseExpression(true);
        if (peek().isOperator(")")) {
            next();
            return first;
        }
        List<Expr> items = new ArrayList<>(List.of(first));
        while (peek().isOperator(",")) {
            next();
            if (peek().isOperator(")")) {
                break;
            }
            items.add(parseExpression(true));
        }
        expectOperator(")");
        return new Expr.TupleLiteral(items, line);
    }

    private Expr parsePostfix(Expr e) {
        while (true) {
            Token t = peek();
            if (t.isOperator(".")) {
                next();
                Token name = next();
                if (name.kind() == Kind.NAME) {
                    e = new Expr.Attribute(e, name.text(), name.line());
                } else if (name.kind() == Kind.INTEGER) {
                    e = new Expr.Item(e, new Expr.Literal(Long.parseLong(name.text()), name.line()), name.line());
                } else {
                    throw error("expected an attribute name, got " + name.describe(), name);
                }
            } else if (t.isOperator("[")) {
                next();
                e = parseSubscript(e, t.line());
            } else if (t.isOperator("(")) {
                next();
                CallArgs args = parseCallArgs();
                e = new Expr.Call(e, args.positional, args.keywords, t.line());
            } else {
                return e;
            }
        }
    }

    private Expr parseSubscript(Expr target, int line) {
        Expr start = null;
        if (!peek().isOperator(":")) {
            start = parseExpression(true);
            if (peek().isOperator("]")) {
                next();
                return new Expr.Item(target, start, line);
            }
        }
        expectOperator(":");
        Expr stop = null;
        Expr step = null;
        if (!peek().isOperator("]") && !peek().isOperator(":")) {
            stop = parseExpression(true);
        }
        if (peek().isOperator(":")) {
            next();
            if (!peek().isOperator("]")) {
                step = parseExpression(true);
            }
        }
        expectOperator("]");
        return new Expr.Slice(target, start, stop, step, line);
    }

    private record CallArgs(List<Expr> positional, Map<String, Expr> keywords) { }

    /** Arguments after an already consumed {@code (}, through the closing {@code )}. */
    private CallArgs parseCallArgs() {
        List<Expr> positional = new ArrayList<>();
        Map<String, Expr> keywords = new LinkedHashMap<>();
        boolean first = true;
        while (!peek().isOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            first = false;
            if (peek().isOperator("*") || peek().isOperator("**")) {
                Token star = next();
                positional.add(new Expr.Splat(parseExpression(true), star.text().equals("**"), star.line()));
            } else if (peek().kind() == Kind.NAME && peek(1).isOperator("=")) {
                String name = next().text();
                next();
                keywords.put(name, parseExpression(true));
            } else {
                if (!keywords.isEmpty()) {
                    throw error("positional argument follows keyword argument", peek());
                }
                positional.add(parseExpression(true));
            }
        }
        next();
        return new CallArgs(positional, keywords);
    }

    private Expr parseFiltersAndTests(Expr e) {
        while (true) {
            Token t = peek();
            if (t.isOperator("|")) {
                next();
                e = parseFilter(e);
            } else if (t.isName("is")) {
                next();
                e = parseTest(e, t.line());
            } else if (t.isOperator("(")) {
                next();
                CallArgs args = parseCallArgs();
                e = new Expr.Call(e, args.positional, args.keywords, t.line());
            } else {
                return e;
            }
        }
    }

    private Expr.Filter parseFilter(Expr value) {
        Token name = peek();
        StringBuilder fullName = new StringBuilder(expectName());
        while (peek().isOperator(".")) {
            next();
            fullName.append('.').append(expectName());
        }
        if (!Filters.has(fullName.toString())) {
            throw error("no filter named '" + fullName + "'", name);
        }
        List<Expr> args = List.of();
        Map<String, Expr> kwargs = Map.of();
        if (peek().isOperator("(")) {
            next();
            CallArgs call = parseCallArgs();
            args = call.positional;
            kwargs = call.keywords;
        }
        return new Expr.Filter(value, fullName.toString(), args, kwargs, name.line());
    }

    private Expr parseTest(Expr value, int line) {
        boolean negated = false;
        if (peek().isName("not")) {
            next();
            negated = true;
        }
        Token nameToken = peek();
        String name = nameToken.kind() == Kind.NAME && (nameToken.text().equals("none") || nameToken.text().equals("true")
                || nameToken.text().equals("false")) ? next().text() : expectName();
        if (!Tests.has(name)) {
            throw error("no test named '" + name + "'", nameToken);
        }
        List<Expr> args = new ArrayList<>();
        Token t = peek();
        if (t.isOperator("(")) {
            next();
            CallArgs call = parseCallArgs();
            args.addAll(call.positional);
        } else if ((t.kind() == Kind.NAME || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER
                || t.kind() == Kind.FLOAT || t.isOperator("[") || t.isOperator("{"))
                && !t.isName("else") && !t.isName("or") && !t.isName("and") && !t.isName("if")
                && !t.isName("is") && !t.isName("in") && !t.isName("not")) {
            // Jinja allows one argument without parentheses: `x is divisibleby 3`, `x is sameas none`.
            args.add(parsePostfix(parsePrimary()));
        }
        return new Expr.Test(value, name, args, negated, line);
    }

    // ---- token helpers ----

    private Token peek() {
        return tokens.get(i);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Kind.EOF) {
            i++;
        }
        return t;
    }

    private Token expect(Kind kind) {
        Token t = next();
        if (t.kind() != kind) {
            throw error("expected " + new Token(kind, "", 0, 0).describe() + ", got " + t.describe(), t);
        }
        return t;
    }

    private String expectName() {
        Token t = next();
        if (t.kind() != Kind.NAME) {
            throw error("expected a name, got " + t.describe(), t);
        }
        return t.text();
    }

    private void expectOperator(String op) {
        Token t = next();
        if (!t.isOperator(op)) {
            throw error("expected '" + op + "', got " + t.describe(), t);
        }
    }

    private static TemplateSyntaxException error(String reason, Token at) {
        return new TemplateSyntaxException(reason, at.line(), at.column());
    }
}
