package dev.llmplatform.structured.schema;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GBNF rules a schema compiles to, shared by the keyword-family emitters: named rules in
 * definition order, a rule body defined twice is one rule ({@link #define}), and the JSON primitives
 * ({@code space}, {@code string}, {@code number}, {@code value}...) are added on first use.
 */
final class GrammarRules implements KeyLanguages.RuleSink {
    /** A body that matches nothing: the schema (or branch) admits no value. */
    static final String NEVER = "[^\\x00-\\U0010FFFF]";
    private static final Set<String> PRIMITIVES = Set.of("space", "boolean", "null", "char", "string", "integral",
            "integer", "number", "value", "object", "array", "root");

    private final Map<String, String> map = new LinkedHashMap<>();
    private final Map<String, String> bodyToName = new HashMap<>();

    /** Sets a rule's body (for rules named before their body is known, e.g. recursive ones). */
    @Override
    public void put(String name, String body) {
        map.put(name, body);
    }

    boolean containsKey(String name) {
        return map.containsKey(name);
    }

    Set<Map.Entry<String, String>> entrySet() {
        return map.entrySet();
    }

    String define(String hint, String body) {
        String existing = bodyToName.get(body);
        if (existing != null) {
            return existing;
        }
        String name = uniqueName(hint);
        map.put(name, body);
        bodyToName.put(body, name);
        return name;
    }

    /** A new rule name with an empty body, to be {@link #put} later. */
    @Override
    public String reserve(String hint) {
        String name = uniqueName(hint);
        map.put(name, "");
        return name;
    }

    String uniqueName(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        if (base.isEmpty() || base.equals("root")) {
            base = "r";
        }
        if (base.length() > 40) {
            base = base.substring(base.length() - 40).replaceAll("^-", "");
        }
        String name = base;
        for (int i = 1; map.containsKey(name) || PRIMITIVES.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    String primitive(String name) {
        if (map.containsKey(name)) {
            return name;
        }
        String body = switch (name) {
            case "space" -> "| \" \" | \"\\n\" [ \\t]{0,20}";
            case "boolean" -> "(\"true\" | \"false\") space";
            case "null" -> "\"null\" space";
            case "char" -> "[^\"\\\\\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})";
            case "string" -> "\"\\\"\" ([^\"\\\\\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4}))* "
                    + "\"\\\"\" space";
            case "integral" -> "\"-\"? (\"0\" | [1-9] [0-9]*)";
            // One ".0" at most: "1.0" is a valid integer (JSON Schema), but a run of zeros let a sampled model write
            // "81.000000…" until max_tokens ran out.
            case "integer" -> "integral (\".0\")? space";
            case "number" -> "integral (\".\" [0-9]+)? ([eE] [-+]? ([0-9]{1,2} | [12] [0-9] [0-9]))? space";
            case "value" -> "object | array | string | number | boolean | null";
            case "object" -> "\"{\" space (string \":\" space value (\",\" space string \":\" space value)*)? \"}\" space";
            case "array" -> "\"[\" space (value (\",\" space value)*)? \"]\" space";
            default -> throw new IllegalStateException(name);
        };
        map.put(name, body);
        bodyToName.put(body, name);
        for (String dep : List.of("space", "integral", "string", "number", "boolean", "null", "object", "array", "value",
                "char")) {
            if (!dep.equals(name) && body.matches("(?s).*(^|[^a-z\"-])" + dep + "([^a-z-]|$).*")) {
                primitive(dep);
            }
        }
        return name;
    }

}
