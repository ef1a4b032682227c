package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.regex.RegexParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rules for objects: members in the order the schema declares them (optional ones may be left out),
 * then the other members: keyed by {@code patternProperties} (a key matching several patterns takes a
 * value valid against all of them; see {@link KeyLanguages}) or additional ones (a key that is neither
 * declared nor matches a pattern). {@code minProperties}/{@code maxProperties} are enforced by counting
 * members in the rules. Declared names may be forbidden (from {@code not} / dependencies).
 * {@code propertyNames} ({@link KeyConstraints}) adds its regexes to the key automaton: every key rule
 * requires or excludes them, and a declared name failing them is left out.
 */
final class ObjectRules {
    private static final String NEVER = GrammarRules.NEVER;
    private final GrammarRules rules;
    private final Set<String> unenforced;
    private final Set<String> approximations;
    private final StringRules strings;
    private final SchemaVisitor visitor;
    private final Function<Object, Map<String, Object>> resolve;
    private final Set<String> contradictions;

    ObjectRules(GrammarRules rules, Set<String> unenforced, Set<String> approximations, Set<String> contradictions,
            StringRules strings, SchemaVisitor visitor, Function<Object, Map<String, Object>> resolve) {
        this.contradictions = contradictions;
        this.resolve = resolve;
        this.rules = rules;
        this.unenforced = unenforced;
        this.approximations = approximations;
        this.strings = strings;
        this.visitor = visitor;
    }

    private String visit(Object schema, String path) {
        return visitor.visit(schema, path);
    }

    @SuppressWarnings("unchecked")
    String objectRule(Map<String, Object> m, String path, Set<String> forbiddenNames) {
        Map<String, Object> props = m.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        Set<String> required = new LinkedHashSet<>();
        if (m.get("required") instanceof List<?> r) {
            r.forEach(o -> required.add((String) o));
        }
        Map<String, Object> patternProps = m.get("patternProperties") instanceof Map<?, ?> pp
                ? (Map<String, Object>) pp : Map.of();
        Object additional = m.getOrDefault("additionalProperties", Boolean.TRUE);
        rules.primitive("space");

        List<String> names = new ArrayList<>(props.keySet());
        for (String r : required) {
            if (!props.containsKey(r)) {
                names.add(r); // required but not described: any value
            }
        }
        List<String> kvs = new ArrayList<>();
        List<Boolean> isRequired = new ArrayList<>();
        names.removeAll(forbiddenNames);
        for (String name : forbiddenNames) {
            if (required.contains(name)) {
                return NEVER;
            }
        }
        List<String> patterns = new ArrayList<>(patternProps.keySet());
        Set<String> taken = new LinkedHashSet<>(props.keySet());
        taken.addAll(required);
        taken.addAll(forbiddenNames);
        KeyConstraints keyConstraints = propertyNames(m, path);
        KeyFilter filter = new KeyFilter(patterns.size(), keyConstraints);
        KeyLanguages keys = null;
        if (!patterns.isEmpty() || keyConstraints != null) {
            List<String> languages = new ArrayList<>(patterns);
            if (keyConstraints != null) {
                languages.addAll(keyConstraints.mustMatch());
                languages.addAll(keyConstraints.mustNotMatch());
            }
            keys = KeyLanguages.build(languages, new ArrayList<>(taken));
            if (keys == null && keyConstraints != null) {
                unenforced.add(path + ": 'propertyNames' (key automaton too large or regex unsupported)");
                filter = new KeyFilter(patterns.size(), null);
                keys = patterns.isEmpty() ? null : KeyLanguages.build(patterns, new ArrayList<>(taken));
            }
        }
        for (String name : names) {
            Object sub = props.getOrDefault(name, Boolean.TRUE);
            if (keys != null && !filter.allows(keys.tagsOf(name))) {
                // a name that fails propertyNames cannot appear
                if (required.contains(name)) {
                    contradictions.add(path + ": required property '" + name + "' fails 'propertyNames'");
                    return NEVER;
                }
                continue;
            }
            if (keys != null) {
                // a declared name matching patterns must satisfy their schemas too
                int matched = keys.tagsOf(name) & filter.patternMask();
                if (matched != 0) {
                    List<Object> all = new ArrayList<>(List.of(sub));
                    for (int i = 0; i < patterns.size(); i++) {
                        if ((matched >> i & 1) != 0) {
                            all.add(patternProps.get(patterns.get(i)));
                        }
                    }
                    sub = Map.of("allOf", all);
                }
            }
            String value = visit(sub, path + "/properties/" + name);
            boolean req = required.contains(name);
            if (value.equals(NEVER)) {
                if (req) {
                    return NEVER;
                }
                continue;
            }
            StringBuilder key = new StringBuilder();
            Json.writeString(name, key);
            kvs.add(rules.define(path + "-" + name + "-kv", GbnfWriter.literal(key.toString()) + " space \":\" space " + value));
            isRequired.add(req);
        }
        // additional members: pattern-keyed and/or any key
        List<String> extra = new ArrayList<>();
        if (keys != null) {
            extraMembersByKeyLanguage(keys, filter, patterns, patternProps, additional, path, extra);
        } else if (!patternProps.isEmpty()) {
            boolean overlap = !Boolean.FALSE.equals(additional);
            if (overlap) {
                approximations.add(path + ": a member matching patternProperties may also be taken as additional");
            }
            int i = 0;
            for (Map.Entry<String, Object> e : patternProps.entrySet()) {
                String value = visit(e.getValue(), path + "/patternProperties/" + i);
                String keyContent;
                try {
                    keyContent = new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT).write(RegexParser.parseSearch(e.getKey()));
                } catch (IllegalArgumentException ex) {
                    unenforced.add(path + ": patternProperties key: " + ex.getMessage());
                    keyContent = "char*";
                    rules.primitive("char");
                }
                if (!value.equals(NEVER)) {
                    extra.add(rules.define(path + "-pp" + i + "-kv", "\"\\\"\" " + keyContent + " \"\\\"\" space \":\" space " + value));
                }
                i++;
            }
        }
        if (keys == null && !Boolean.FALSE.equals(additional)) {
            String value = visit(additional, path + "/additionalProperties");
            if (!value.equals(NEVER)) {
                // any key but the declared (or forbidden) ones, so a declared member cannot dodge its schema
                String key = taken.isEmpty() ? rules.primitive("string") : strings.stringExcluding(new ArrayList<>(taken), path + "-key")
                        + " space";
                extra.add(rules.define(path + "-additional-kv", key + " \":\" space " + value));
            }
        }
        String extraKv = extra.isEmpty() ? null : extra.size() == 1 ? extra.getFirst()
                : rules.define(path + "-extra-kv", String.join(" | ", extra));
        if (m.containsKey("minProperties") || m.containsKey("maxProperties")) {
            String counted = countedMembers(m, kvs, isRequired, extraKv, path);
            if (counted != null) {
                return counted;
            }
        }
        // After(i): something already written, members i.. remain; First(i): nothing written yet.
        String afterTail = extraKv == null ? null : rules.define(path + "-extra-tail", "(\",\" space " + extraKv + ")*");
        int n = kvs.size();
        String[] after = new String[n + 1];
        after[n] = afterTail;
        for (int i = n - 1; i >= 0; i--) {
            String item = "\",\" space " + kvs.get(i);
            String body = isRequired.get(i) ? item : "(" + item + ")?";
            if (after[i + 1] != null) {
                body += " " + after[i + 1];
            }
            after[i] = rules.define(path + "-after-" + i, body);
        }
        String first = extraKv == null ? null : "(" + extraKv + (afterTail == null ? "" : " " + afterTail) + ")?";
        for (int i = n - 1; i >= 0; i--) {
            String here = kvs.get(i) + (after[i + 1] == null ? "" : " " + after[i + 1]);
            String body;
            if (isRequired.get(i)) {
                body = here;
            } else {
                body = first == null ? "(" + here + ")?" : here + " | " + first;
            }
            first = rules.define(path + "-first-" + i, body);
        }
        String inner = first == null ? "" : " " + first;
        return rules.define(path + "-object", "\"{\" space" + inner + " \"}\" space");
    }

    /** Most patterns for which every combination of matched patterns gets its own member rule. */
    private static final int MAX_COMBINED_PATTERNS = 3;

    /**
     * Members other than the declared ones, exactly: a key matching patterns T (and no declared name)
     * takes a value valid against every schema in T; a key matching none is an additional property.
     * With more than {@link #MAX_COMBINED_PATTERNS} patterns, a key matching several is checked
     * against one of them (reported as an approximation).
     */
    private void extraMembersByKeyLanguage(KeyLanguages keys, KeyFilter filter, List<String> patterns,
            Map<String, Object> patternProps, Object additional, String path, List<String> extra) {
        int k = patterns.size();
        int namesBit = keys.namesBit();
        boolean combine = k <= MAX_COMBINED_PATTERNS;
        if (!combine) {
            approximations.add(path + ": a key matching several patternProperties is checked against one of them");
        }
        for (int set = 1; set < (combine ? 1 << k : k + 1); set++) {
            int tags = combine ? set : 1 << (set - 1);
            List<Object> schemas = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                if ((tags >> i & 1) != 0) {
                    schemas.add(patternProps.get(patterns.get(i)));
                }
            }
            String value = visit(schemas.size() == 1 ? schemas.getFirst() : Map.of("allOf", schemas),
                    path + "/patternProperties/" + (Integer.numberOfTrailingZeros(tags)));
            if (value.equals(NEVER)) {
                continue;
            }
            int ownBits = filter.patternMask() | namesBit;
            String key = keys.keyRule(combine ? t -> (t & ownBits) == tags && filter.allows(t)
                    : t -> (t & tags) != 0 && (t & namesBit) == 0 && filter.allows(t), rules, path + "-pp" + set);
            if (key != null) {
                extra.add(rules.define(path + "-pp" + set + "-kv", key + " space \":\" space " + value));
            }
        }
        if (!Boolean.FALSE.equals(additional)) {
            String value = visit(additional, path + "/additionalProperties");
            int ownBits = filter.patternMask() | namesBit;
            String key = value.equals(NEVER) ? null
                    : keys.keyRule(t -> (t & ownBits) == 0 && filter.allows(t), rules, path + "-add");
            if (key != null) {
                extra.add(rules.define(path + "-additional-kv", key + " space \":\" space " + value));
            }
        }
    }

    /** The {@code propertyNames} of {@code m} as key regexes; null if absent, or (reported) not translatable. */
    private KeyConstraints propertyNames(Map<String, Object> m, String path) {
        if (!m.containsKey("propertyNames")) {
            return null;
        }
        KeyConstraints c = KeyConstraints.of(m.get("propertyNames"), resolve);
        if (c == null || c.size() + ((Map<?, ?>) m.getOrDefault("patternProperties", Map.of())).size() > 8) {
            unenforced.add(path + ": 'propertyNames' (only pattern, lengths, enum/const and their negations)");
            return null;
        }
        return c.size() == 0 ? null : c;
    }

    /**
     * How a key's tag set (see {@link KeyLanguages}) is read: bits 0..k-1 are the patternProperties,
     * then the propertyNames regexes a key must match, then those it must not match.
     */
    private record KeyFilter(int patterns, KeyConstraints constraints) {
        int patternMask() {
            return (1 << patterns) - 1;
        }

        boolean allows(int tags) {
            return constraints == null || constraints.allows(tags, patterns);
        }
    }

    /** Bound on the rules a minProperties/maxProperties expansion may add (members x counts). */
    private static final int MAX_COUNTED_RULES = 4096;

    /**
     * An object whose member count is bounded ({@code minProperties}/{@code maxProperties}), by tracking
     * the count in the rules: {@code after(i, c)} = members from the i-th declared one on, c written so
     * far (saturating at minProperties when there is no maximum). Null (and reported) when the
     * expansion would be too large; NEVER when no object fits.
     */
    private String countedMembers(Map<String, Object> m, List<String> kvs, List<Boolean> isRequired, String extraKv,
            String path) {
        Integer minObj = NumberRules.intValue(m.get("minProperties"));
        Integer maxObj = NumberRules.intValue(m.get("maxProperties"));
        if (m.containsKey("minProperties") && minObj == null) {
            unenforced.add(path + ": 'minProperties' (too large)");
            return null;
        }
        int min = minObj == null ? 0 : Math.max(0, minObj);
        Integer max = maxObj == null ? null : Math.max(0, maxObj);
        if (max != null && max < min) {
            return NEVER;
        }
        int cap = max != null ? max : min;
        int n = kvs.size();
        if ((long) (n + 1) * (cap + 1) > MAX_COUNTED_RULES) {
            unenforced.add(path + ": 'minProperties'/'maxProperties' (expansion too large)");
            return null;
        }
        // after[i][c]: a member already written (c in all, capped), members i.. and extras remain
        String[][] after = new String[n + 1][cap + 1];
        for (int c = 0; c <= cap; c++) {
            after[n][c] = extrasTail(extraKv, Math.max(0, min - c), max == null ? null : max - c, path, c);
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int c = 0; c <= cap; c++) {
                String take = null;
                int next = max == null ? Math.min(c + 1, cap) : c + 1;
                if (next <= cap) {
                    String rest = after[i + 1][next];
                    if (!rest.equals(NEVER)) {
                        take = "\",\" space " + kvs.get(i) + (rest.isEmpty() ? "" : " " + rest);
                    }
                }
                String skip = isRequired.get(i) ? NEVER : after[i + 1][c];
                after[i][c] = alternatives(take, skip, path + "-after-" + i + "-c" + c);
            }
        }
        // first(i): nothing written yet
        String first = NEVER;
        if (extraKv != null && (max == null || max >= 1)) {
            String tail = after[n][Math.min(1, cap)];
            first = tail.equals(NEVER) ? NEVER : extraKv + (tail.isEmpty() ? "" : " " + tail);
            if (!first.equals(NEVER)) {
                first = rules.define(path + "-first-extra", first);
            }
        }
        if (min == 0) {
            first = alternatives(first.equals(NEVER) ? null : first, "", path + "-first-x");
        }
        for (int i = n - 1; i >= 0; i--) {
            String take = null;
            if (max == null || max >= 1) {
                String rest = after[i + 1][Math.min(1, cap)];
                if (!rest.equals(NEVER)) {
                    take = kvs.get(i) + (rest.isEmpty() ? "" : " " + rest);
                }
            }
            first = alternatives(take, isRequired.get(i) ? NEVER : first, path + "-first-" + i);
        }
        if (first.equals(NEVER)) {
            return NEVER;
        }
        return rules.define(path + "-object", "\"{\" space" + (first.isEmpty() ? "" : " " + first) + " \"}\" space");
    }

    /** {@code ("," space extra){lo,hi}} as a rule; "" when it must be empty, NEVER when it cannot hold. */
    private String extrasTail(String extraKv, int lo, Integer hi, String path, int c) {
        if (hi != null && hi < lo) {
            return NEVER;
        }
        if (extraKv == null || (hi != null && hi == 0)) {
            return lo == 0 ? "" : NEVER;
        }
        String rep = hi == null ? (lo == 0 ? "*" : "{" + lo + ",}") : lo == hi ? "{" + lo + "}" : "{" + lo + "," + hi + "}";
        return rules.define(path + "-extras-c" + c, "(\",\" space " + extraKv + ")" + rep);
    }

    /** A rule matching {@code a} or {@code b} (null or NEVER: absent; "": the empty string). */
    private String alternatives(String a, String b, String hint) {
        boolean hasA = a != null && !a.equals(NEVER);
        boolean hasB = b != null && !b.equals(NEVER);
        if (!hasA && !hasB) {
            return NEVER;
        }
        if (!hasA || !hasB) {
            String only = hasA ? a : b;
            return only.isEmpty() ? "" : rules.define(hint, only);
        }
        if (a.isEmpty() || b.isEmpty()) {
            String other = a.isEmpty() ? b : a;
            return rules.define(hint, "(" + other + ")?");
        }
        return rules.define(hint, a + " | " + b);
    }

}
