package dev.llmplatform.structured.tools;

import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.gbnf.GrammarExpr;
import dev.llmplatform.structured.gbnf.GrammarExpr.Alternation;
import dev.llmplatform.structured.gbnf.GrammarExpr.AnyChar;
import dev.llmplatform.structured.gbnf.GrammarExpr.CharClass;
import dev.llmplatform.structured.gbnf.GrammarExpr.Literal;
import dev.llmplatform.structured.gbnf.GrammarExpr.Repeat;
import dev.llmplatform.structured.gbnf.GrammarExpr.RuleRef;
import dev.llmplatform.structured.gbnf.GrammarExpr.Sequence;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grammar a tool-using response is generated under, so that every call parses and its arguments
 * satisfy the function's JSON Schema: {@code call ::= PREFIX NAME ARGS_PREFIX ARGS SUFFIX} for each
 * function, with ARGS the function's schema grammar. In {@link Mode#AUTO} the response may instead be
 * text — anything that does not begin like a call, or, when a response format is given, that format's
 * grammar.
 */
public final class ToolCallGrammar {
    /** {@code tool_choice}: the model decides ({@code auto}), or must call ({@code required} / a named function). */
    public enum Mode { AUTO, REQUIRED }

    /**
     * @param grammar    the whole response's grammar
     * @param unenforced schema keywords of the functions' parameters that the grammar does not enforce
     *                   (with the function name), checked after generation instead
     */
    public record Built(Grammar grammar, List<String> unenforced) {
    }

    private ToolCallGrammar() {
    }

    /**
     * @param functions the callable functions (for a named {@code tool_choice}, just that one)
     * @param parallel  whether several calls may follow each other (when the syntax allows it)
     * @param text      the grammar of a text answer in {@link Mode#AUTO}, or null for free text
     */
    public static Built build(ToolCallSyntax syntax, List<ToolFunction> functions, Mode mode, boolean parallel,
                              Grammar text) {
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("no functions to call");
        }
        Map<String, GrammarExpr> rules = new LinkedHashMap<>();
        rules.put("root", new Literal("")); // placeholder: keeps root first
        Set<String> unenforced = new LinkedHashSet<>();
        List<GrammarExpr> calls = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            ToolFunction f = functions.get(i);
            JsonSchemaCompiler.CompiledSchema schema = JsonSchemaCompiler.compile(withObjectType(f.parameters()), false);
            for (String u : schema.unenforced()) {
                unenforced.add(f.name() + ": " + u);
            }
            String argsRoot = importRules(Grammar.parse(schema.gbnf()), "fn" + i + "-", rules);
            calls.add(new Sequence(List.of(
                    new Literal(syntax.namePrefix() + f.name() + syntax.argumentsPrefix()),
                    new RuleRef(argsRoot),
                    new Literal(syntax.callSuffix()))));
        }
        rules.put("llmp-call", calls.size() == 1 ? calls.getFirst() : new Alternation(calls));
        GrammarExpr callList = new RuleRef("llmp-call");
        if (parallel && syntax.allowsParallel()) {
            callList = new Sequence(List.of(callList,
                    new Repeat(new Sequence(List.of(new Literal(syntax.separator()), new RuleRef("llmp-call"))), 0, Repeat.UNBOUNDED)));
        }
        rules.put("llmp-calls", callList);
        if (mode == Mode.REQUIRED) {
            rules.put("root", new RuleRef("llmp-calls"));
        } else {
            GrammarExpr answer;
            if (text != null) {
                answer = new RuleRef(importRules(text, "text-", rules));
            } else {
                // Free text that cannot be mistaken for the start of a call (or nothing at all).
                int first = syntax.namePrefix().codePointAt(0);
                answer = new Repeat(new Sequence(List.of(new CharClass(new int[] {first, first}, true),
                        new Repeat(new AnyChar(), 0, Repeat.UNBOUNDED))), 0, 1);
            }
            rules.put("llmp-text", answer);
            rules.put("root", new Alternation(List.of(new RuleRef("llmp-calls"), new RuleRef("llmp-text"))));
        }
        return new Built(new Grammar(rules, "root"), List.copyOf(unenforced));
    }

    /** Arguments are always a JSON object: a schema that does not say so is read as one that does. */
    private static Object withObjectType(Map<String, Object> parameters) {
        if (parameters.isEmpty()) {
            return Map.of("type", "object");
        }
        if (!parameters.containsKey("type") && !parameters.containsKey("$ref") && !parameters.containsKey("anyOf")) {
            Map<String, Object> typed = new LinkedHashMap<>(parameters);
            typed.put("type", "object");
            return typed;
        }
        return parameters;
    }

    /** Copies {@code g}'s rules into {@code into} under {@code prefix}; returns the renamed root. */
    static String importRules(Grammar g, String prefix, Map<String, GrammarExpr> into) {
        for (Map.Entry<String, GrammarExpr> e : g.rules().entrySet()) {
            into.put(prefix + e.getKey(), rename(e.getValue(), prefix));
        }
        return prefix + g.root();
    }

    private static GrammarExpr rename(GrammarExpr e, String prefix) {
        return switch (e) {
            case RuleRef r -> new RuleRef(prefix + r.name());
            case Sequence s -> new Sequence(s.items().stream().map(x -> rename(x, prefix)).toList());
            case Alternation a -> new Alternation(a.options().stream().map(x -> rename(x, prefix)).toList());
            case Repeat r -> new Repeat(rename(r.item(), prefix), r.min(), r.max());
            case Literal l -> l;
            case CharClass c -> c;
            case AnyChar a -> a;
        };
    }
}
