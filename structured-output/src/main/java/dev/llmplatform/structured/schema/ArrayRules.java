package dev.llmplatform.structured.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rules for arrays: {@code prefixItems} (or tuple {@code items}), then {@code items} /
 * {@code additionalItems} for the rest, with {@code minItems}/{@code maxItems} folded into the
 * repetition counts; {@code contains}/{@code minContains}/{@code maxContains} by counting matching items
 * ({@link ContainsRules}), {@code uniqueItems} over small finite item sets ({@link UniqueItemsRules}).
 */
final class ArrayRules {
    private static final String NEVER = GrammarRules.NEVER;
    private final GrammarRules rules;
    private final SchemaVisitor visitor;
    private final Set<String> unenforced;
    private final Function<Object, List<Object>> finiteValues;

    /**
     * {@code finiteValues}: the values an item schema admits when they are few and known (null
     * otherwise), for {@code uniqueItems}.
     */
    ArrayRules(GrammarRules rules, SchemaVisitor visitor, Set<String> unenforced,
            Function<Object, List<Object>> finiteValues) {
        this.rules = rules;
        this.visitor = visitor;
        this.unenforced = unenforced;
        this.finiteValues = finiteValues;
    }

    private String visit(Object schema, String path) {
        return visitor.visit(schema, path);
    }

    /**
     * The rule when {@code contains} or {@code uniqueItems} asks for more than the plain sequence
     * ({@link ContainsRules}, {@link UniqueItemsRules}); null when neither applies or (reported) they
     * cannot be expanded, and the plain sequence is the rule.
     */
    private String countedItems(Map<String, Object> m, List<Object> prefix, Object rest, int min, Integer max,
            String path) {
        boolean unique = Boolean.TRUE.equals(m.get("uniqueItems")) && (max == null || max > 1);
        Integer minContainsObj = NumberRules.intValue(m.get("minContains"));
        int minContains = minContainsObj == null ? 1 : Math.max(0, minContainsObj);
        Integer maxContains = NumberRules.intValue(m.get("maxContains"));
        boolean contains = m.containsKey("contains") && (minContains > 0 || maxContains != null);
        if (contains) {
            if (unique) {
                unenforced.add(path + ": 'uniqueItems' together with 'contains'");
            }
            String rule = new ContainsRules(rules, visitor).arrayRule(new ContainsRules.Items(prefix, rest, min, max),
                    m.get("contains"), minContains, maxContains, path);
            if (rule == null) {
                unenforced.add(path + ": 'contains' (expansion too large)");
            }
            return rule;
        }
        if (!unique) {
            return null;
        }
        List<Object> values = prefix.isEmpty() ? finiteValues.apply(rest) : null;
        String rule = values == null ? null : new UniqueItemsRules(rules).arrayRule(values, min, max, path);
        if (rule == null) {
            unenforced.add(path + ": 'uniqueItems' (only for items from a small finite set of scalars)");
        }
        return rule;
    }

    @SuppressWarnings("unchecked")
    String arrayRule(Map<String, Object> m, String path) {
        List<Object> prefix = new ArrayList<>();
        Object rest;
        if (m.get("prefixItems") instanceof List<?> p) {
            prefix.addAll(p);
            rest = m.containsKey("items") ? m.get("items") : Boolean.TRUE;
        } else if (m.get("items") instanceof List<?> tuple) {
            prefix.addAll(tuple);
            rest = m.containsKey("additionalItems") ? m.get("additionalItems") : Boolean.TRUE;
        } else {
            rest = m.containsKey("items") ? m.get("items") : Boolean.TRUE;
        }
        Integer minObj = NumberRules.intValue(m.get("minItems"));
        Integer maxObj = NumberRules.intValue(m.get("maxItems"));
        int min = minObj == null ? 0 : Math.max(0, minObj);
        Integer max = maxObj;
        if (max != null && max < min) {
            return NEVER;
        }
        String counted = countedItems(m, prefix, rest, min, max, path);
        if (counted != null) {
            return counted;
        }
        rules.primitive("space");
        List<String> items = new ArrayList<>();
        for (int i = 0; i < prefix.size(); i++) {
            items.add(visit(prefix.get(i), path + "/items/" + i));
        }
        String restItem = visit(rest, path + "/items");
        boolean restNever = restItem.equals(NEVER);
        // positions 0..k-1 use prefix schemas, later ones restItem
        int k = prefix.size();
        // the longest allowed array
        Integer longest = max;
        if (restNever) {
            longest = longest == null ? k : Math.min(longest, k);
        }
        for (int i = 0; i < k && (longest == null || i < longest); i++) {
            if (items.get(i).equals(NEVER)) {
                longest = i;
                break;
            }
        }
        if (longest != null && longest < min) {
            return NEVER;
        }
        // Build from the end: tail(i) = elements from index i on (each preceded by a comma), given i
        // elements already written; element i is optional when i >= min.
        String restTail = null;
        if (!restNever && (longest == null || longest > k)) {
            int from = Math.max(k, 0);
            int restMin = Math.max(0, min - from);
            String rep = longest == null ? (restMin == 0 ? "*" : "{" + restMin + ",}")
                    : "{" + restMin + "," + (longest - from) + "}";
            if (longest != null && restMin == longest - from) {
                rep = "{" + restMin + "}";
            }
            restTail = "(\",\" space " + restItem + ")" + rep;
        }
        int upto = longest == null ? k : Math.min(k, longest);
        String tail = restTail == null || upto == 0 ? null : rules.define(path + "-rest", restTail);
        for (int i = upto - 1; i >= 1; i--) {
            String body = "\",\" space " + items.get(i) + (tail == null ? "" : " " + tail);
            body = i >= min ? "(" + body + ")?" : body;
            tail = rules.define(path + "-tail-" + i, body);
        }
        String elements;
        if (upto >= 1) {
            elements = items.getFirst() + (tail == null ? "" : " " + tail);
        } else if (restTail != null) {
            // no prefix: first element from restItem, then the rest
            int restMin = Math.max(0, min - 1);
            String rep;
            if (longest == null) {
                rep = restMin == 0 ? "*" : "{" + restMin + ",}";
            } else {
                rep = restMin == longest - 1 ? "{" + restMin + "}" : "{" + restMin + "," + (longest - 1) + "}";
            }
            elements = restItem + " (\",\" space " + restItem + ")" + rep;
        } else {
            elements = null;
        }
        String inner;
        if (elements == null) {
            inner = "";
        } else if (min == 0) {
            inner = " (" + elements + ")?";
        } else {
            inner = " " + elements;
        }
        return rules.define(path + "-array", "\"[\" space" + inner + " \"]\" space");
    }
}
