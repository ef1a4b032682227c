package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.json.Json.JsonNumber;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code uniqueItems} for items drawn from a small finite set of scalars (an enum, booleans, a short
 * integer range): the rules' states are the sets of values already used, so no value can come twice,
 * and the array's length is the size of that set (so {@code minItems}/{@code maxItems} fold in). The
 * number of states is bounded ({@link #MAX_STATES}); beyond it the caller reports the keyword.
 */
final class UniqueItemsRules {
    private static final String NEVER = GrammarRules.NEVER;
    /** Most sets of used values (rules) one array may take. */
    static final int MAX_STATES = 1024;

    private final GrammarRules rules;

    UniqueItemsRules(GrammarRules rules) {
        this.rules = rules;
    }

    /**
     * The array rule over {@code values} (the admitted item values); null if some value is not a
     * scalar or there are too many sets of them.
     */
    String arrayRule(List<Object> values, int minItems, Integer maxItems, String path) {
        List<Object> distinct = distinctScalars(values);
        if (distinct == null) {
            return null;
        }
        int n = distinct.size();
        int longest = maxItems == null ? n : Math.min(n, maxItems);
        if (n > 20 || states(n, longest) > MAX_STATES) {
            return null;
        }
        if (minItems > longest) {
            return NEVER;
        }
        rules.primitive("space");
        List<String> literals = new ArrayList<>();
        for (Object v : distinct) {
            literals.add(GbnfWriter.literal(Json.write(v)) + " space");
        }
        String body = rest(0, literals, minItems, longest, new HashMap<>(), path);
        return rules.define(path + "-array", "\"[\" space" + (body.isEmpty() ? "" : " " + body) + " \"]\" space");
    }

    /** The items after the set {@code used} (a bit per value) was written; "" for none. */
    private String rest(int used, List<String> literals, int minItems, int longest, Map<Integer, String> memo,
            String path) {
        String known = memo.get(used);
        if (known != null) {
            return known;
        }
        int count = Integer.bitCount(used);
        List<String> alts = new ArrayList<>();
        if (count < longest) {
            for (int v = 0; v < literals.size(); v++) {
                if ((used >> v & 1) == 0) {
                    String after = rest(used | 1 << v, literals, minItems, longest, memo, path);
                    alts.add((count == 0 ? "" : "\",\" space ") + literals.get(v) + (after.isEmpty() ? "" : " " + after));
                }
            }
        }
        String body;
        if (alts.isEmpty()) {
            body = "";
        } else {
            body = rules.define(path + "-unique-" + Integer.toHexString(used),
                    "(" + String.join(" | ", alts) + ")" + (count >= minItems ? "?" : ""));
        }
        memo.put(used, body);
        return body;
    }

    /** Sets of at most {@code k} of {@code n} values. */
    private static long states(int n, int k) {
        long total = 0;
        long choose = 1;
        for (int i = 0; i <= k; i++) {
            total += choose;
            choose = choose * (n - i) / (i + 1);
        }
        return total;
    }

    /** The values without JSON-equal repeats (1 and 1.0 are one value); null if one is an array or object. */
    private static List<Object> distinctScalars(List<Object> values) {
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (Object v : values) {
            if (v instanceof List<?> || v instanceof Map<?, ?>) {
                return null;
            }
            String key = v instanceof JsonNumber num ? "n" + num.value().stripTrailingZeros().toPlainString() : Json.write(v);
            byKey.putIfAbsent(key, v);
        }
        return new ArrayList<>(byKey.values());
    }
}
