package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema with {@code enum} or {@code const} admits finitely many values, so every other keyword beside
 * it ({@code not}, {@code multipleOf}, {@code uniqueItems}, {@code if}...) can be enforced exactly by
 * checking each listed value against the whole schema once, at compile time, and writing the grammar
 * as the alternatives of the values that pass. The check is the reference validator's, so what it
 * admits is what validation after generation would admit.
 */
final class FiniteValues {
    /** Keywords of ours or of OpenAPI that the reference validator would ignore: such schemas are not filtered. */
    private static final List<String> FOREIGN = List.of("nullable");

    private FiniteValues() {
    }

    /**
     * The listed values valid against {@code schema}, in their order; null when the schema lists no
     * values, or cannot be checked on its own (a {@code $ref} outside the root's definitions, a
     * keyword the validator does not know, or one of the compiler's internal keywords, whose names
     * start with NUL).
     */
    @SuppressWarnings("unchecked")
    static List<Object> admitted(Map<String, Object> schema, Object root) {
        List<Object> candidates;
        if (schema.containsKey("const")) {
            candidates = List.of(schema.get("const"));
        } else if (schema.get("enum") instanceof List<?> values) {
            candidates = (List<Object>) values;
        } else {
            return null;
        }
        if (schema.keySet().stream().anyMatch(k -> k.startsWith("\u0000")) || FOREIGN.stream().anyMatch(schema::containsKey)
                || !refsStayInDefinitions(schema) || !definitionsSelfContained(root)) {
            return null;
        }
        Map<String, Object> doc = new LinkedHashMap<>(schema);
        if (root instanceof Map<?, ?> r) {
            for (String k : List.of("$schema", "$defs", "definitions")) {
                if (r.containsKey(k) && !doc.containsKey(k)) {
                    doc.put(k, r.get(k));
                }
            }
        }
        String text = Json.write(doc);
        if (doc.get("$schema") instanceof String draft && draft.matches(".*draft-0[34].*") && text.contains("\"const\"")) {
            // draft 4 has no const, but the compiler writes it when it expands if/then/else and not:
            // checked as the later drafts read it
            doc.remove("$schema");
            text = Json.write(doc);
        }
        SchemaValidator validator;
        try {
            validator = new SchemaValidator(text);
        } catch (RuntimeException e) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        try {
            for (Object v : candidates) {
                if (validator.isValid(Json.write(v))) {
                    out.add(v);
                }
            }
        } catch (RuntimeException e) {
            return null; // the validator could not decide (e.g. an unresolvable reference)
        }
        return out;
    }

    /**
     * The values an (already resolved) item schema admits when it lists them or its type has few values
     * (boolean, null, integers between bounds at most 64 apart), checked against the whole schema as
     * {@link #admitted} does; null otherwise.
     */
    static List<Object> admittedByItem(Map<String, Object> m, Object root) {
        Map<String, Object> probe = new LinkedHashMap<>(m);
        if (!m.containsKey("enum") && !m.containsKey("const")) {
            List<Object> candidates = new ArrayList<>();
            Object type = m.get("type");
            for (Object t : type instanceof List<?> l ? l : type == null ? List.of() : List.of(type)) {
                switch (String.valueOf(t)) {
                    case "boolean" -> candidates.addAll(List.of(Boolean.TRUE, Boolean.FALSE));
                    case "null" -> candidates.add(Json.NULL);
                    case "integer" -> {
                        List<Object> range = NumberRules.smallIntegerRange(m, 64);
                        if (range == null) {
                            return null;
                        }
                        candidates.addAll(range);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (candidates.isEmpty()) {
                return null;
            }
            probe.put("enum", candidates);
        }
        return admitted(probe, root);
    }

    private static boolean definitionsSelfContained(Object root) {
        if (!(root instanceof Map<?, ?> r)) {
            return true;
        }
        return refsStayInDefinitions(r.get("$defs")) && refsStayInDefinitions(r.get("definitions"));
    }

    /** True if every {@code $ref} inside points into the root's {@code $defs}/{@code definitions}. */
    private static boolean refsStayInDefinitions(Object node) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if ("$ref".equals(e.getKey())) {
                    if (!(e.getValue() instanceof String ref)
                            || !(ref.startsWith("#/$defs/") || ref.startsWith("#/definitions/"))) {
                        return false;
                    }
                } else if ("$id".equals(e.getKey()) || "$anchor".equals(e.getKey()) || "$dynamicRef".equals(e.getKey())
                        || "$recursiveRef".equals(e.getKey()) || !refsStayInDefinitions(e.getValue())) {
                    return false;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                if (!refsStayInDefinitions(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
