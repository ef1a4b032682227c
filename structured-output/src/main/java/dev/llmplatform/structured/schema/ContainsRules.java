package dev.llmplatform.structured.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Arrays with {@code contains} (and {@code minContains}/{@code maxContains}): every item schema is split
 * into "matches contains" ({@code allOf [item, contains]}) and "does not" ({@code allOf [item, not
 * contains]}), and the rules count the matching items the way {@link ObjectRules} counts members:
 * {@code tail(i, c)} = the items from index i on, c matches so far, both capped where the count no
 * longer matters. Exact as far as {@code not contains} is (the {@code not} expansions report it at its
 * path otherwise); the number of rules is bounded ({@link #MAX_RULES}).
 */
final class ContainsRules {
    private static final String NEVER = GrammarRules.NEVER;
    /** Bound on (item positions) x (match counts) rules. */
    static final int MAX_RULES = 4096;

    private final GrammarRules rules;
    private final SchemaVisitor visitor;

    ContainsRules(GrammarRules rules, SchemaVisitor visitor) {
        this.rules = rules;
        this.visitor = visitor;
    }

    /** What {@link #arrayRule} needs to know about the array's items. */
    record Items(List<Object> prefix, Object rest, int minItems, Integer maxItems) {
        Object schemaAt(int i) {
            return i < prefix.size() ? prefix.get(i) : rest;
        }
    }

    /** The array rule; null when the expansion would be too large (the caller reports it). */
    String arrayRule(Items items, Object contains, int minContains, Integer maxContains, String path) {
        int k = items.prefix().size();
        // index cap: past the prefix and minItems, and below maxItems, positions behave alike
        int indexCap = items.maxItems() != null ? items.maxItems() : Math.max(1, Math.max(k, items.minItems()));
        int countCap = maxContains != null ? maxContains + 1 : minContains; // maxContains + 1: already too many
        if ((long) (indexCap + 1) * (countCap + 1) > MAX_RULES) {
            return null;
        }
        if (maxContains != null && maxContains < minContains) {
            return NEVER;
        }
        rules.primitive("space");
        int schemas = Math.min(indexCap, k) + 1;
        String[] yes = new String[schemas];
        String[] no = new String[schemas];
        for (int j = 0; j < schemas; j++) {
            Object item = items.schemaAt(j);
            yes[j] = visitor.visit(Map.of("allOf", List.of(item, contains)), path + "/contains/" + j);
            no[j] = visitor.visit(Map.of("allOf", List.of(item, Map.of("not", contains))), path + "/contains-not/" + j);
        }
        // tail[i][c]: i items written (capped at indexCap), c of them matching (capped at countCap)
        String[][] tail = new String[indexCap + 1][countCap + 1];
        for (int i = indexCap; i >= 0; i--) {
            for (int c = countCap; c >= 0; c--) {
                tail[i][c] = tailRule(items, i, c, indexCap, countCap, minContains, maxContains, yes, no, tail, path);
            }
        }
        String body = tail[0][0];
        if (body.equals(NEVER)) {
            return NEVER;
        }
        return rules.define(path + "-array", "\"[\" space" + (body.isEmpty() ? "" : " " + body) + " \"]\" space");
    }

    private String tailRule(Items items, int i, int c, int indexCap, int countCap, int minContains,
            Integer maxContains, String[] yes, String[] no, String[][] tail, String path) {
        List<String> alts = new ArrayList<>();
        List<String> loops = new ArrayList<>(); // items leading back to this same state (saturated counts)
        boolean canEnd = i >= items.minItems() && c >= minContains && (maxContains == null || c <= maxContains);
        boolean more = items.maxItems() == null || i < items.maxItems();
        if (more && (maxContains == null || c <= maxContains)) {
            int j = Math.min(i, yes.length - 1);
            int nextI = items.maxItems() == null ? Math.min(i + 1, indexCap) : i + 1;
            String comma = i == 0 ? "" : "\",\" space ";
            for (int match = 1; match >= 0; match--) {
                String item = match == 1 ? yes[j] : no[j];
                int nextC = Math.min(c + match, countCap);
                if (item.equals(NEVER)) {
                    continue;
                }
                if (nextI == i && nextC == c) {
                    loops.add(item);
                    continue;
                }
                String rest = tail[nextI][nextC];
                if (!rest.equals(NEVER)) {
                    alts.add(comma + item + (rest.isEmpty() ? "" : " " + rest));
                }
            }
        }
        String loop = loops.isEmpty() ? "" : "(\",\" space " + (loops.size() == 1 ? loops.getFirst()
                : "(" + String.join(" | ", loops) + ")") + ")*";
        if (alts.isEmpty() && !canEnd) {
            return NEVER;
        }
        String exit = alts.isEmpty() ? "" : "(" + String.join(" | ", alts) + ")" + (canEnd ? "?" : "");
        String body = (loop + " " + exit).trim();
        return body.isEmpty() ? "" : rules.define(path + "-contains-" + i + "-" + c, body);
    }
}
