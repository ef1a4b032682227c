package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code if/then/else} conditionals that apply to one schema (its own and those merged in from
 * {@code allOf}), as cases: schemas whose union is exactly the values the conditionals admit.
 *
 * <p>A conditional alone is two cases, "if and then" and "not if and else", so n of them would be
 * 2^n. Conditionals that test one discriminator, {@code if: {properties: {k: {const: v}}}} (with or
 * without {@code required: [k]}), are mutually exclusive whenever k is present, so such a group is
 * n + 3 cases: k is v (for each v: the thens of the conditionals testing v, the elses of the
 * others), k is another value (all elses), the object has no k (thens of the conditionals that do not
 * require k, the elses of those that do), and the value is no object (all thens: "properties" and
 * "required" hold for every non-object). Cases of different groups multiply, up to
 * {@link #MAX_CASES}.
 */
final class Conditionals {
    static final int MAX_CASES = 256;
    private static final List<String> NON_OBJECT_TYPES = List.of("array", "string", "number", "boolean", "null");

    private Conditionals() {
    }

    /** One conditional: if, then, else (true when absent). */
    record Conditional(Object ifSchema, Object thenSchema, Object elseSchema) {
        static Conditional of(Map<String, Object> m) {
            return new Conditional(m.get("if"), m.getOrDefault("then", Boolean.TRUE), m.getOrDefault("else", Boolean.TRUE));
        }

        Map<String, Object> asSchema() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("if", ifSchema);
            m.put("then", thenSchema);
            m.put("else", elseSchema);
            return m;
        }
    }

    /** A conditional testing {@code key == value}; {@code required}: whether its if also requires the key. */
    private record Discriminator(String key, Object value, boolean required) {
    }

    /**
     * The cases, each a list of schemas that must all hold; null if there would be more than
     * {@link #MAX_CASES}.
     */
    static List<List<Object>> cases(List<Conditional> conditionals, Function<Object, Map<String, Object>> resolve) {
        Map<String, List<Conditional>> groups = new LinkedHashMap<>();
        Map<Conditional, Discriminator> tests = new LinkedHashMap<>();
        List<List<List<Object>>> factors = new ArrayList<>();
        for (Conditional c : conditionals) {
            Discriminator d = discriminator(resolve.apply(c.ifSchema()));
            if (d == null) {
                factors.add(List.of(List.of(c.ifSchema(), c.thenSchema()),
                        List.of(Map.of("not", c.ifSchema()), c.elseSchema())));
            } else {
                tests.put(c, d);
                groups.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(c);
            }
        }
        for (Map.Entry<String, List<Conditional>> g : groups.entrySet()) {
            factors.add(groupCases(g.getKey(), g.getValue(), tests));
        }
        List<List<Object>> product = new ArrayList<>();
        product.add(List.of());
        for (List<List<Object>> factor : factors) {
            if ((long) product.size() * factor.size() > MAX_CASES) {
                return null;
            }
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> left : product) {
                for (List<Object> right : factor) {
                    List<Object> both = new ArrayList<>(left);
                    both.addAll(right);
                    next.add(both);
                }
            }
            product = next;
        }
        return product;
    }

    private static List<List<Object>> groupCases(String key, List<Conditional> group, Map<Conditional, Discriminator> tests) {
        List<List<Object>> cases = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<Object> values = new ArrayList<>();
        for (Conditional c : group) {
            Object v = tests.get(c).value();
            if (seen.add(Json.write(v))) {
                values.add(v);
            }
        }
        for (Object v : values) {
            List<Object> all = new ArrayList<>(List.of(Map.of("type", "object", "required", List.of(key),
                    "properties", Map.of(key, Map.of("const", v)))));
            for (Conditional c : group) {
                all.add(Json.write(tests.get(c).value()).equals(Json.write(v)) ? c.thenSchema() : c.elseSchema());
            }
            cases.add(all);
        }
        List<Object> other = new ArrayList<>(List.of(Map.of("type", "object", "required", List.of(key),
                "properties", Map.of(key, Map.of("not", Map.of("enum", values))))));
        List<Object> absent = new ArrayList<>(List.of(Map.of("type", "object", "not", Map.of("required", List.of(key)))));
        List<Object> nonObject = new ArrayList<>(List.of(Map.of("type", NON_OBJECT_TYPES)));
        for (Conditional c : group) {
            other.add(c.elseSchema());
            // an object without the key satisfies "properties": only a required key fails the if
            absent.add(tests.get(c).required() ? c.elseSchema() : c.thenSchema());
            // a non-object satisfies "properties" and "required" alike: the if holds
            nonObject.add(c.thenSchema());
        }
        cases.add(other);
        cases.add(absent);
        cases.add(nonObject);
        return cases;
    }

    /** The discriminator an if schema tests, or null if it tests something else. */
    @SuppressWarnings("unchecked")
    private static Discriminator discriminator(Map<String, Object> ifSchema) {
        Map<String, Object> a = new LinkedHashMap<>(ifSchema);
        a.keySet().removeAll(List.of("title", "description", "$comment"));
        if (!(a.get("properties") instanceof Map<?, ?> props) || props.size() != 1) {
            return null;
        }
        String key = (String) props.keySet().iterator().next();
        if (!(props.get(key) instanceof Map<?, ?> test)) {
            return null;
        }
        Object value;
        if (test.size() == 1 && test.containsKey("const")) {
            value = test.get("const");
        } else if (test.size() == 1 && test.get("enum") instanceof List<?> e && e.size() == 1) {
            value = e.getFirst();
        } else {
            return null;
        }
        boolean required = a.get("required") instanceof List<?> r && r.equals(List.of(key));
        int expected = 1 + (required ? 1 : 0);
        return a.size() == expected ? new Discriminator(key, value, required) : null;
    }
}
