package dev.llmplatform.structured.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a {@code propertyNames} schema asks of every member name, as regexes (JSON Schema search
 * semantics) a name must match and regexes it must not match. {@link KeyLanguages} adds them to its
 * automaton over the patterns and declared names, so a key rule can require or exclude them exactly
 * (a "must not match" is the automaton's complement, which stays bounded).
 *
 * <p>Translated: {@code pattern}, {@code minLength}/{@code maxLength}, {@code enum}/{@code const},
 * {@code type}, boolean schemas, {@code allOf} of these, and {@code not} of a {@code pattern},
 * {@code enum}/{@code const} or a single length bound. Keywords of other types ({@code minimum},
 * {@code items}...) hold for every string and are skipped. Anything else makes {@link #of} return null,
 * and the caller reports {@code propertyNames} as unenforced.
 */
record KeyConstraints(List<String> mustMatch, List<String> mustNotMatch) {
    /** Matches every string (unanchored, empty): "must not match" it forbids all names. */
    private static final String ANY = "";
    private static final List<String> STRING_KEYWORDS = List.of("pattern", "minLength", "maxLength", "format",
            "enum", "const", "type", "not", "allOf", "anyOf", "oneOf", "$ref", "if", "then", "else");

    int size() {
        return mustMatch.size() + mustNotMatch.size();
    }

    /** The regexes in the order {@link #allows} reads their tag bits: must-match ones, then must-not ones. */
    List<String> regexes() {
        List<String> all = new ArrayList<>(mustMatch);
        all.addAll(mustNotMatch);
        return all;
    }

    /** Whether a string whose tag set is {@code tags} (the regexes from bit {@code offset} on) passes. */
    boolean allows(int tags, int offset) {
        int mustBits = ((1 << mustMatch.size()) - 1) << offset;
        int mustNotBits = ((1 << mustNotMatch.size()) - 1) << (offset + mustMatch.size());
        return (tags & mustBits) == mustBits && (tags & mustNotBits) == 0;
    }

    /**
     * A JSON string rule (quotes included, no trailing space) for exactly the strings passing these
     * constraints; null if the automaton is too large, NEVER if no string passes.
     */
    String stringRule(GrammarRules rules, String hint) {
        KeyLanguages automaton = KeyLanguages.build(regexes(), List.of(), KeyLanguages.MAX_STRING_STATES);
        if (automaton == null) {
            return null;
        }
        String rule = automaton.keyRule(t -> allows(t, 0), rules, hint);
        return rule == null ? GrammarRules.NEVER : rule;
    }

    /** The regexes for {@code schema}; null if some string keyword in it cannot be translated. */
    static KeyConstraints of(Object schema, Function<Object, Map<String, Object>> resolve) {
        KeyConstraints out = new KeyConstraints(new ArrayList<>(), new ArrayList<>());
        return out.add(schema, resolve) ? out : null;
    }

    @SuppressWarnings("unchecked")
    private boolean add(Object schema, Function<Object, Map<String, Object>> resolve) {
        if (Boolean.TRUE.equals(schema)) {
            return true;
        }
        if (Boolean.FALSE.equals(schema)) {
            mustNotMatch.add(ANY);
            return true;
        }
        Map<String, Object> m = resolve.apply(schema);
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            boolean ok = switch (e.getKey()) {
                case "pattern" -> v instanceof String p && mustMatch.add(p);
                case "minLength", "maxLength" -> lengthBound(e.getKey(), v, false);
                case "enum", "const" -> {
                    String names = oneOf(e.getKey().equals("const") ? List.of(v) : (List<Object>) v);
                    (names == null ? mustNotMatch : mustMatch).add(names == null ? ANY : names);
                    yield true;
                }
                case "type" -> {
                    if (!(v instanceof String ? v.equals("string") : v instanceof List<?> l && l.contains("string"))) {
                        mustNotMatch.add(ANY);
                    }
                    yield true;
                }
                case "allOf" -> {
                    for (Object sub : (List<Object>) v) {
                        if (!add(sub, resolve)) {
                            yield false;
                        }
                    }
                    yield true;
                }
                case "not" -> negated(v, resolve);
                case "format" -> StringRules.formatRule((String) v) == null; // unknown formats annotate
                default -> !STRING_KEYWORDS.contains(e.getKey()); // a keyword of another type holds for strings
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private boolean negated(Object schema, Function<Object, Map<String, Object>> resolve) {
        if (Boolean.TRUE.equals(schema)) {
            mustNotMatch.add(ANY);
            return true;
        }
        if (Boolean.FALSE.equals(schema)) {
            return true;
        }
        Map<String, Object> m = resolve.apply(schema);
        Map<String, Object> asserted = new java.util.LinkedHashMap<>(m);
        asserted.keySet().retainAll(STRING_KEYWORDS);
        if (asserted.isEmpty()) {
            mustNotMatch.add(ANY);
            return true;
        }
        if (asserted.size() != 1) {
            return false;
        }
        Map.Entry<String, Object> e = asserted.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "pattern" -> e.getValue() instanceof String p && mustNotMatch.add(p);
            case "enum", "const" -> {
                String names = oneOf(e.getKey().equals("const") ? List.of(e.getValue()) : (List<Object>) e.getValue());
                yield names == null || mustNotMatch.add(names);
            }
            case "type" -> {
                Object t = e.getValue();
                if (t instanceof String ? t.equals("string") : t instanceof List<?> l && l.contains("string")) {
                    mustNotMatch.add(ANY);
                }
                yield true;
            }
            case "minLength", "maxLength" -> lengthBound(e.getKey(), e.getValue(), true);
            default -> false;
        };
    }

    /** A length bound as an anchored regex over any code points; negated, the opposite bound. */
    private boolean lengthBound(String keyword, Object value, boolean negated) {
        Integer n = NumberRules.intValue(value);
        if (n == null || n < 0 || n > 256) {
            return false; // longer bounds would unroll too far in the automaton
        }
        boolean atLeast = keyword.equals("minLength") != negated;
        int bound = keyword.equals("minLength") ? (negated ? n - 1 : n) : (negated ? n + 1 : n);
        if (bound < 0) {
            mustNotMatch.add(ANY); // not {minLength: 0}: no string at all
            return true;
        }
        mustMatch.add(atLeast ? "^[\\s\\S]{" + bound + ",}$" : "^[\\s\\S]{0," + bound + "}$");
        return true;
    }

    /** An anchored regex matching exactly the listed strings (other values never match a name); null if none. */
    private static String oneOf(List<Object> values) {
        List<String> alts = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof String s) {
                alts.add(quote(s));
            }
        }
        return alts.isEmpty() ? null : "^(?:" + String.join("|", alts) + ")$";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if ("\\^$.|?*+()[]{}/-".indexOf(cp) >= 0) {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp < 0x20) {
                sb.append(String.format("\\x%02X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
