package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.json.Json.JsonNumber;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a JSON Schema into GBNF whose sentences are exactly (or, where noted, a superset of) the
 * JSON texts valid against it.
 *
 * <p><b>Output shape.</b> Object members come in the order the schema lists its properties, optional
 * ones may be left out, additional members (when allowed) follow the declared ones. Whitespace: none
 * is required; before the value, after every value and after {@code { [ , :} the grammar allows
 * nothing, one space, or a newline plus up to 20 spaces/tabs ({@code space} rule, as llama.cpp).
 * Compact JSON is always accepted, and the model cannot stall the output with endless whitespace.
 * Numbers: exponents have at most three digits and stay below 300, so every number is a finite double.
 *
 * <p><b>Structure.</b> This class resolves {@code $ref}, merges {@code allOf}, expands dependencies,
 * conditionals ({@link Conditionals}) and the {@code not} forms a {@link Negation} cannot record
 * ({@link Complements}) into {@code anyOf}, handles {@code anyOf}/{@code oneOf}/{@code not}/{@code enum}/
 * {@code const}, and dispatches by type to one emitter per keyword family: {@link StringRules},
 * {@link NumberRules}, {@link ObjectRules} (with {@link KeyLanguages} and {@link KeyConstraints} for keys),
 * {@link ArrayRules} (with {@link ContainsRules} and {@link UniqueItemsRules}), all writing into one
 * {@link GrammarRules}.
 *
 * <p><b>Keywords.</b> Enforced exactly: type (also lists), properties, required, additionalProperties
 * (false/true/schema), patternProperties (a key matching several patterns takes a value valid against
 * all; a key matching one is never taken as additional), propertyNames (pattern, lengths, enum/const and
 * their negations), minProperties/maxProperties (member counts tracked in the rules), items, prefixItems,
 * additionalItems, minItems, maxItems, contains/minContains/maxContains (matching items counted),
 * uniqueItems over small finite item sets, enum, const, anyOf, allOf (merged), $ref to {@code #...} incl.
 * recursion, $defs/definitions, minLength, maxLength, pattern (several, and with lengths, by automaton),
 * format (date, time, date-time, uuid, email, uri, ipv4, hostname), minimum/maximum/exclusive* on
 * integers and (integer-valued bounds) on numbers, multipleOf (alone, as the lcm of several, or between
 * bounds with at most 1,024 multiples), dependencies with up to three triggers, if/then/else, the
 * {@code not} forms {}, {type}, {enum/const}, {required}, {properties}, bounds, counts, lengths,
 * {pattern}, {contains}, {items}, {not}, conjunctions and anyOf of those, nullable, boolean schemas; and
 * any keyword at all beside enum/const, by checking each listed value against the whole schema with the
 * reference validator ({@link FiniteValues}). Every expansion is bounded. Approximated as a superset
 * (listed in {@link CompiledSchema#approximations()}): oneOf is compiled as anyOf; with more than three
 * patternProperties, a key matching several is checked against one. Anything else that asserts
 * (uniqueItems over open item types, other not forms, format beside pattern, unevaluated*, remote
 * $ref, expansions past their bounds...) is reported: in strict mode (the default) compilation fails
 * listing every such keyword; in lenient mode the grammar ignores them and they are returned in
 * {@link CompiledSchema#unenforced()} so the caller validates the output afterwards. Annotations (title,
 * description, examples, default, $schema, $id, $comment, deprecated, readOnly, writeOnly,
 * contentMediaType...) and unknown keywords are ignored, as the specification requires.
 */
public final class JsonSchemaCompiler {

    /** The grammar for a schema, plus what it does not check exactly. */
    public record CompiledSchema(String gbnf, List<String> unenforced, List<String> approximations) {
    }

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "examples", "default", "$schema",
            "$id", "id", "$comment", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
            "contentSchema", "$anchor", "$vocabulary", "discriminator", "xml", "externalDocs", "example");
    private static final Set<String> UNSUPPORTED = Set.of("dependencies", "dependentRequired", "dependentSchemas",
            "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef");
    /** Enforced by expansion into anyOf ({@link #expandConditional}); then/else without if do nothing. */
    private static final Set<String> CONDITIONAL = Set.of("if", "then", "else");
    /** Internal keyword: further conditionals ({if, then, else} maps) merged in from allOf. */
    private static final String CONDITIONALS = "\u0000conditionals";
    private static final Set<String> OBJECT_KEYS = Set.of("properties", "required", "additionalProperties",
            "patternProperties", "minProperties", "maxProperties", "dependencies", "propertyNames",
            "dependentRequired", "dependentSchemas", "unevaluatedProperties");
    private static final Set<String> ARRAY_KEYS = Set.of("items", "prefixItems", "additionalItems", "minItems",
            "maxItems", "uniqueItems", "contains", "minContains", "maxContains", "unevaluatedItems");
    private static final Set<String> STRING_KEYS = Set.of("minLength", "maxLength", "pattern", "format");
    private static final Set<String> NUMBER_KEYS = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf");
    private static final List<String> ALL_TYPES = List.of("object", "array", "string", "number", "boolean", "null");
    private static final List<String> ALL_TYPES_AND_INTEGER = List.of("object", "array", "string", "number",
            "integer", "boolean", "null");
    /** Internal keyword: member names an object must not have (from expanding dependencies). */
    private static final String FORBID = "\u0000forbid";
    private static final String NEVER = GrammarRules.NEVER;

    private final boolean strict;
    private final boolean refIgnoresSiblings;
    private final Object root;
    private final GrammarRules rules = new GrammarRules();
    private final Map<String, String> refRules = new HashMap<>();
    private final Map<String, String> allOfRules = new HashMap<>();
    private final Set<String> unenforced = new LinkedHashSet<>();
    private final Set<String> approximations = new LinkedHashSet<>();
    /** Contradictions that make parts of a schema admit nothing, for the error when the whole schema does. */
    private final Set<String> contradictions = new LinkedHashSet<>();
    private final StringRules strings = new StringRules(rules, unenforced);
    private final NumberRules numbers = new NumberRules(rules, unenforced);
    private final ObjectRules objects = new ObjectRules(rules, unenforced, approximations, contradictions, strings,
            this::visit, s -> resolveTop(s, "#"));
    private final ArrayRules arrays = new ArrayRules(rules, this::visit, unenforced, this::finiteItemValues);
    private int depth;

    private JsonSchemaCompiler(Object root, boolean strict) {
        this.root = root;
        this.strict = strict;
        // up to draft 7, keywords beside $ref are ignored; from 2019-09 on they apply too
        this.refIgnoresSiblings = root instanceof Map<?, ?> m && m.get("$schema") instanceof String v
                && v.matches(".*draft-0[3-7].*");
    }

    /** Strict: throws {@link SchemaCompileException} listing every keyword the grammar cannot enforce. */
    public static CompiledSchema compile(String schemaJson) {
        return compile(Json.parse(schemaJson), true);
    }

    public static CompiledSchema compile(Object schema, boolean strict) {
        return new JsonSchemaCompiler(schema, strict).run();
    }

    /** Grammar for any JSON object (OpenAI's {@code response_format: json_object}). */
    public static String jsonObjectGrammar() {
        JsonSchemaCompiler c = new JsonSchemaCompiler(Map.of("type", "object"), true);
        return c.run().gbnf();
    }

    private CompiledSchema run() {
        String top = visit(root, "#");
        if (top.equals(NEVER) && !contradictions.isEmpty()) {
            // a schema contradicting itself in a way a user may not see (a grammar for nothing is kept
            // for the plain cases, e.g. minProperties above the properties allowed)
            List<String> why = new ArrayList<>(List.of("#: no JSON value is valid against this schema"));
            why.addAll(contradictions);
            throw new SchemaCompileException(why);
        }
        StringBuilder sb = new StringBuilder();
        // JSON text may start with whitespace (RFC 8259), e.g. SentencePiece's "▁{" token
        rules.primitive("space");
        sb.append("root ::= space ").append(top).append('\n');
        for (Map.Entry<String, String> e : rules.entrySet()) {
            sb.append(e.getKey()).append(" ::= ").append(e.getValue()).append('\n');
        }
        if (strict && !unenforced.isEmpty()) {
            throw new SchemaCompileException(new ArrayList<>(unenforced));
        }
        return new CompiledSchema(sb.toString(), List.copyOf(unenforced), List.copyOf(approximations));
    }

    // ---------------------------------------------------------------- schemas

    private String visit(Object schema, String path) {
        if (++depth > 200) {
            throw new SchemaCompileException(List.of(path + ": schema nesting too deep"));
        }
        try {
            return visitInner(schema, path);
        } finally {
            depth--;
        }
    }

    @SuppressWarnings("unchecked")
    private String visitInner(Object schema, String path) {
        if (schema instanceof Boolean b) {
            return b ? rules.primitive("value") : NEVER;
        }
        if (!(schema instanceof Map<?, ?>)) {
            throw new SchemaCompileException(List.of(path + ": a schema must be an object or a boolean"));
        }
        Map<String, Object> m = (Map<String, Object>) schema;
        if (listsValuesBesideOtherAssertions(m)) {
            List<Object> finite = FiniteValues.admitted(m, root);
            if (finite != null) {
                return finiteValues(finite, path);
            }
        }
        int dependencyTriggers = 0;
        for (String k : List.of("dependencies", "dependentRequired", "dependentSchemas")) {
            if (m.get(k) instanceof Map<?, ?> d) {
                dependencyTriggers += d.size();
            }
        }
        for (String k : m.keySet()) {
            boolean expandable = k.startsWith("dependen") && dependencyTriggers <= 3; // see expandDependencies
            if (UNSUPPORTED.contains(k) && !expandable) {
                unenforced.add(path + ": '" + k + "'");
            }
        }
        if (m.containsKey("$ref")) {
            Map<String, Object> rest = assertions(m);
            rest.remove("$ref");
            if (rest.isEmpty() || refIgnoresSiblings) {
                return refRule((String) m.get("$ref"), path);
            }
            Map<String, Object> combined = new LinkedHashMap<>();
            combined.put("allOf", List.of(Map.of("$ref", m.get("$ref")), rest));
            return visit(combined, path);
        }
        if (m.containsKey("allOf")) {
            // merged inline, so recursion through $ref inside allOf is cut here, the way refRule does
            String key = Json.write(m);
            String existing = allOfRules.get(key);
            if (existing != null) {
                return existing;
            }
            String name = rules.uniqueName(path + "-allof");
            allOfRules.put(key, name);
            rules.put(name, "");
            Map<String, Object> merged = new LinkedHashMap<>(m);
            merged.remove("allOf");
            for (Object sub : (List<Object>) m.get("allOf")) {
                merged = merge(merged, resolveTop(sub, path), path);
            }
            String body = visit(merged, path + "/allOf");
            rules.put(name, body);
            return body.equals(NEVER) ? NEVER : name;
        }
        List<Object> expanded = expandDependencies(m, path);
        if (expanded == null) {
            expanded = expandConditional(m, path);
        }
        if (expanded == null) {
            expanded = expandNegation(m, path);
        }
        if (expanded != null) {
            return visit(Map.of("anyOf", expanded), path);
        }
        boolean hasAny = m.containsKey("anyOf");
        boolean hasOne = m.containsKey("oneOf");
        if (hasAny || hasOne) {
            List<Object> branches = new ArrayList<>();
            Map<String, Object> rest = new LinkedHashMap<>(m);
            rest.remove("anyOf");
            rest.remove("oneOf");
            if (hasOne) {
                if (((List<Object>) m.get("oneOf")).size() > 1) {
                    approximations.add(path + ": oneOf compiled as anyOf (exclusivity not checked)");
                }
            }
            List<Object> first = (List<Object>) m.get(hasAny ? "anyOf" : "oneOf");
            List<Object> second = hasAny && hasOne ? (List<Object>) m.get("oneOf") : List.of(Boolean.TRUE);
            boolean siblings = !assertions(rest).isEmpty();
            for (Object a : first) {
                for (Object b : second) {
                    Object branch = a;
                    if (b != Boolean.TRUE) {
                        branch = merge(resolveTop(a, path), resolveTop(b, path), path);
                    }
                    if (siblings) {
                        branch = merge(rest, resolveTop(branch, path), path);
                    }
                    branches.add(branch);
                }
            }
            List<String> alts = new ArrayList<>();
            for (int i = 0; i < branches.size(); i++) {
                String alt = visit(branches.get(i), path + "/anyOf/" + i);
                if (!alt.equals(NEVER) && !alts.contains(alt)) {
                    alts.add(alt);
                }
            }
            return alts.isEmpty() ? NEVER : alts.size() == 1 ? alts.getFirst() : rules.define(path + "-alt", String.join(" | ", alts));
        }
        List<String> types = types(m, path);
        Negation neg = new Negation();
        if (m.containsKey("not") && !neg.add(m.get("not"), path)) {
            unenforced.add(path + ": 'not' (only not {}, not {type}, not {enum/const}, not {required: [one]}"
                    + " and anyOf of those are enforced)");
        }
        if (m.get(FORBID) instanceof List<?> forbidden) {
            forbidden.forEach(k -> neg.properties.add((String) k));
        }
        if (neg.everything) {
            return NEVER;
        }
        if (neg.types.contains("number")) {
            types.remove("integer");
        }
        if (neg.types.contains("integer") && !neg.types.contains("number") && types.contains("number")) {
            unenforced.add(path + ": 'not' {type: integer} on numbers");
        }
        types.removeAll(neg.types);
        if (m.containsKey("const")) {
            return neg.forbidsValue(m.get("const")) ? NEVER : literalValue(m.get("const"), types, path);
        }
        if (m.containsKey("enum")) {
            List<String> alts = new ArrayList<>();
            for (Object v : (List<Object>) m.get("enum")) {
                if (neg.forbidsValue(v)) {
                    continue;
                }
                String lit = literalValue(v, types, path);
                if (!lit.equals(NEVER) && !alts.contains(lit)) {
                    alts.add(lit);
                }
            }
            if (alts.isEmpty()) {
                return NEVER;
            }
            return rules.define(path + "-enum", String.join(" | ", alts));
        }
        List<String> alts = new ArrayList<>();
        boolean hasNumber = types.contains("number");
        for (String t : types) {
            String alt = switch (t) {
                case "null" -> neg.forbidsValue(Json.NULL) ? null : rules.primitive("null");
                case "boolean" -> booleanRule(neg);
                case "string" -> strings.stringRule(m, path, neg.values);
                case "integer" -> hasNumber ? null : numbers.numberRule(m, true, path, neg.values);
                case "number" -> numbers.numberRule(m, false, path, neg.values);
                case "object" -> objects.objectRule(m, path, neg.properties);
                case "array" -> arrays.arrayRule(m, path);
                default -> throw new SchemaCompileException(List.of(path + ": unknown type '" + t + "'"));
            };
            if (alt != null && !alt.equals(NEVER)) {
                alts.add(alt);
            }
        }
        if (alts.isEmpty()) {
            return NEVER;
        }
        if (alts.size() == 6 && alts.equals(List.of("object", "array", "string", "number", "boolean", "null"))) {
            return rules.primitive("value");
        }
        return alts.size() == 1 ? alts.getFirst() : rules.define(path + "-types", String.join(" | ", alts));
    }

    /** An enum or const with other keywords beside it (a plain enum needs no validator run). */
    private static boolean listsValuesBesideOtherAssertions(Map<String, Object> m) {
        if (!m.containsKey("enum") && !m.containsKey("const")) {
            return false;
        }
        Set<String> others = new LinkedHashSet<>(assertions(m).keySet());
        others.removeAll(List.of("enum", "const", "type"));
        return !others.isEmpty();
    }

    private List<Object> finiteItemValues(Object item) {
        return FiniteValues.admittedByItem(resolveTop(item, "#"), root);
    }

    /** The alternatives of values already checked against their whole schema ({@link FiniteValues}). */
    private String finiteValues(List<Object> values, String path) {
        List<String> alts = new ArrayList<>();
        for (Object v : values) {
            String lit = literalValue(v, ALL_TYPES_AND_INTEGER, path);
            if (!alts.contains(lit)) {
                alts.add(lit);
            }
        }
        return alts.isEmpty() ? NEVER : rules.define(path + "-enum", String.join(" | ", alts));
    }

    @SuppressWarnings("unchecked")
    private List<String> types(Map<String, Object> m, String path) {
        Object t = m.get("type");
        List<String> types = new ArrayList<>();
        if (t instanceof String s) {
            types.add(s);
        } else if (t instanceof List<?> l) {
            for (Object o : l) {
                types.add((String) o);
            }
        } else if (t == null) {
            types.addAll(ALL_TYPES);
        } else {
            throw new SchemaCompileException(List.of(path + ": 'type' must be a string or an array"));
        }
        if (Boolean.TRUE.equals(m.get("nullable")) && !types.contains("null")) {
            types.add("null");
        }
        return types;
    }

    /** The schema's keywords that constrain instances (annotations and definitions dropped). */
    private static Map<String, Object> assertions(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = e.getKey();
            if (!ANNOTATIONS.contains(k) && !k.equals("$defs") && !k.equals("definitions") && isKnownKeyword(k)) {
                out.put(k, e.getValue());
            }
        }
        return out;
    }

    private static boolean isKnownKeyword(String k) {
        return OBJECT_KEYS.contains(k) || ARRAY_KEYS.contains(k) || STRING_KEYS.contains(k) || NUMBER_KEYS.contains(k)
                || UNSUPPORTED.contains(k) || CONDITIONAL.contains(k) || k.equals(CONDITIONALS)
                || k.equals(StringRules.NOT_PATTERNS) || k.equals(StringRules.MORE_PATTERNS)
                || Set.of("type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "nullable", "not").contains(k);
    }

    // ---------------------------------------------------------------- expansions into anyOf

    /**
     * {@code dependencies}/{@code dependentRequired}/{@code dependentSchemas} with at most 3 triggers, as
     * the anyOf over which triggers are present: present ones add their dependencies (required names
     * or a schema merged in), absent ones are forbidden. Null when not applicable.
     */
    @SuppressWarnings("unchecked")
    private List<Object> expandDependencies(Map<String, Object> m, String path) {
        Map<String, Object> deps = new LinkedHashMap<>();
        for (String k : List.of("dependencies", "dependentRequired", "dependentSchemas")) {
            if (m.get(k) instanceof Map<?, ?> d) {
                deps.putAll((Map<String, Object>) d);
            }
        }
        if (deps.isEmpty() || deps.size() > 3) {
            return null;
        }
        List<String> triggers = new ArrayList<>(deps.keySet());
        List<Object> variants = new ArrayList<>();
        for (int mask = 0; mask < 1 << triggers.size(); mask++) {
            Map<String, Object> v = new LinkedHashMap<>(m);
            v.remove("dependencies");
            v.remove("dependentRequired");
            v.remove("dependentSchemas");
            LinkedHashSet<Object> req = new LinkedHashSet<>(v.get("required") instanceof List<?> r ? r : List.of());
            List<Object> forbid = new ArrayList<>(v.get(FORBID) instanceof List<?> f ? f : List.of());
            List<Object> schemas = new ArrayList<>();
            for (int i = 0; i < triggers.size(); i++) {
                String t = triggers.get(i);
                if ((mask >> i & 1) == 0) {
                    forbid.add(t);
                    continue;
                }
                req.add(t);
                Object dep = deps.get(t);
                if (dep instanceof List<?> names) {
                    req.addAll(names);
                } else {
                    schemas.add(dep);
                }
            }
            v.put("required", new ArrayList<>(req));
            if (!forbid.isEmpty()) {
                v.put(FORBID, forbid);
            }
            for (Object dep : schemas) {
                v = merge(v, resolveTop(dep, path), path);
            }
            variants.add(v);
        }
        return variants;
    }

    /**
     * {@code not} that the {@link Negation} cannot record, as the anyOf of its complement's alternatives
     * ({@link #complement}) each merged with the rest of the schema. Null when not applicable.
     */
    private List<Object> expandNegation(Map<String, Object> m, String path) {
        if (!m.containsKey("not") || new Negation().add(m.get("not"), path)) {
            return null;
        }
        List<Object> alternatives = complement(m.get("not"), path);
        if (alternatives == null) {
            return null;
        }
        Map<String, Object> rest = new LinkedHashMap<>(m);
        rest.remove("not");
        List<Object> variants = new ArrayList<>();
        for (Object alt : alternatives) {
            variants.add(merge(rest, resolveTop(alt, path), path));
        }
        return variants;
    }

    /**
     * Schemas whose union is exactly the values failing {@code n}; null if we cannot write it. A
     * conjunction is negated part by part: {@code not {required:[a,b]}} is "a absent or b absent",
     * {@code not {allOf:[A,B]}} is "not A or not B", and a schema's independent keywords are a
     * conjunction too. One keyword goes to {@link Complements}.
     */
    private List<Object> complement(Object n, String path) {
        if (n instanceof Boolean) {
            return null;
        }
        Map<String, Object> a = assertions(resolveTop(n, path));
        List<Object> parts = new ArrayList<>();
        if (a.size() == 1 && a.get("required") instanceof List<?> r && r.size() > 1) {
            for (Object k : r) {
                parts.add(Map.of("required", List.of(k)));
            }
        } else if (a.size() == 1 && a.get("allOf") instanceof List<?> all) {
            parts.addAll(all);
        } else if (a.size() == 1 && a.get("anyOf") instanceof List<?> any) {
            // not (A or B) is "not A and not B": one alternative, when each of them can be negated
            List<Object> negated = new ArrayList<>();
            for (Object branch : any) {
                if (!new Negation().add(branch, path) && complement(branch, path) == null) {
                    return null;
                }
                negated.add(Map.of("not", branch));
            }
            return List.of(Map.of("allOf", negated));
        } else if (a.size() == 1) {
            Map.Entry<String, Object> e = a.entrySet().iterator().next();
            return Complements.of(e.getKey(), e.getValue());
        } else if (a.size() > 1 && !(a.get("exclusiveMinimum") instanceof Boolean)
                && !(a.get("exclusiveMaximum") instanceof Boolean)) { // draft 4's are part of minimum/maximum
            Set<Set<String>> linked = Set.of(Set.of("properties", "patternProperties", "additionalProperties"),
                    Set.of("items", "prefixItems", "additionalItems"), Set.of("if", "then", "else"),
                    Set.of("contains", "minContains", "maxContains"));
            for (Set<String> group : linked) {
                if (group.stream().filter(a::containsKey).count() > 1) {
                    return null;
                }
            }
            for (Map.Entry<String, Object> e : a.entrySet()) {
                parts.add(Map.of(e.getKey(), e.getValue()));
            }
        } else {
            return null;
        }
        List<Object> alternatives = new ArrayList<>();
        for (Object part : parts) {
            alternatives.add(Map.of("not", part));
        }
        return alternatives;
    }

    /**
     * {@code if/then/else} (with the conditionals merged in from allOf) as the anyOf of its cases
     * ({@link Conditionals}): "if and then" / "not if and else", discriminator tests grouped. Exact when
     * each {@code not if} is (it goes through the same {@code not} expansions, and is reported at its
     * path when it is not). Null when there is no conditional.
     */
    private List<Object> expandConditional(Map<String, Object> m, String path) {
        List<Conditionals.Conditional> conditionals = conditionals(m);
        if (conditionals.isEmpty()) {
            return null;
        }
        Map<String, Object> rest = withoutConditionals(m);
        List<List<Object>> cases = Conditionals.cases(conditionals, s -> resolveTop(s, path));
        if (cases == null) {
            unenforced.add(path + ": 'if' (more than " + Conditionals.MAX_CASES + " cases)");
            return List.of(rest);
        }
        List<Object> variants = new ArrayList<>();
        for (List<Object> c : cases) {
            variants.add(merge(rest, resolveTop(Map.of("allOf", c), path), path));
        }
        return variants;
    }

    /** The schema's own conditional and those merged into it ({@link #CONDITIONALS}). */
    @SuppressWarnings("unchecked")
    private static List<Conditionals.Conditional> conditionals(Map<String, Object> m) {
        List<Conditionals.Conditional> out = new ArrayList<>();
        if (m.containsKey("if")) {
            out.add(Conditionals.Conditional.of(m));
        }
        if (m.get(CONDITIONALS) instanceof List<?> more) {
            for (Object c : more) {
                Conditionals.Conditional cond = Conditionals.Conditional.of((Map<String, Object>) c);
                if (!out.contains(cond)) {
                    out.add(cond);
                }
            }
        }
        return out;
    }

    private static Map<String, Object> withoutConditionals(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        CONDITIONAL.forEach(out::remove);
        out.remove(CONDITIONALS);
        return out;
    }

    // ---------------------------------------------------------------- $ref

    private String refRule(String ref, String path) {
        String existing = refRules.get(ref);
        if (existing != null) {
            return existing;
        }
        String name = rules.uniqueName("ref-" + ref.substring(ref.lastIndexOf('/') + 1));
        refRules.put(ref, name);
        rules.put(name, "");
        String body = visit(resolve(ref, path), ref);
        rules.put(name, body);
        return name;
    }

    @SuppressWarnings("unchecked")
    private Object resolve(String ref, String path) {
        String r = ref;
        Object id = root instanceof Map<?, ?> rm ? rm.get("$id") : null;
        if (id instanceof String s && r.startsWith(s)) {
            r = r.substring(s.length());
        }
        if (!r.startsWith("#")) {
            throw new SchemaCompileException(List.of(path + ": remote $ref '" + ref + "' is not supported"));
        }
        Object cur = root;
        String pointer = URLDecoder.decode(r.substring(1), StandardCharsets.UTF_8);
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            Object anchored = findAnchor(root, pointer);
            if (anchored == null) {
                throw new SchemaCompileException(List.of(path + ": $ref '" + ref + "' not found"));
            }
            return anchored;
        }
        for (String part : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1)) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (cur instanceof Map<?, ?> map && map.containsKey(key)) {
                cur = ((Map<String, Object>) map).get(key);
            } else if (cur instanceof List<?> list && key.matches("\\d+") && Integer.parseInt(key) < list.size()) {
                cur = list.get(Integer.parseInt(key));
            } else {
                throw new SchemaCompileException(List.of(path + ": $ref '" + ref + "' not found"));
            }
        }
        return cur;
    }

    private static Object findAnchor(Object node, String anchor) {
        if (node instanceof Map<?, ?> m) {
            if (anchor.equals(m.get("$anchor")) || ("#" + anchor).equals(m.get("$id")) || ("#" + anchor).equals(m.get("id"))) {
                return m;
            }
            for (Object v : m.values()) {
                Object found = findAnchor(v, anchor);
                if (found != null) {
                    return found;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                Object found = findAnchor(v, anchor);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Follows a subschema's own {@code $ref} (for merging); boolean schemas become maps. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> resolveTop(Object schema, String path) {
        for (int i = 0; i < 32; i++) {
            if (schema instanceof Boolean b) {
                return b ? new LinkedHashMap<>() : new LinkedHashMap<>(Map.of("not", Map.of()));
            }
            Map<String, Object> m = (Map<String, Object>) schema;
            if (!m.containsKey("$ref")) {
                if (m.containsKey("allOf")) {
                    Map<String, Object> merged = new LinkedHashMap<>(m);
                    merged.remove("allOf");
                    for (Object sub : (List<Object>) m.get("allOf")) {
                        merged = merge(merged, resolveTop(sub, path), path);
                    }
                    return merged;
                }
                return m;
            }
            Map<String, Object> rest = new LinkedHashMap<>(m);
            rest.remove("$ref");
            Map<String, Object> target = resolveTop(resolve((String) m.get("$ref"), path), path);
            schema = assertions(rest).isEmpty() ? target : merge(target, rest, path);
        }
        throw new SchemaCompileException(List.of(path + ": $ref chain too long"));
    }

    // ---------------------------------------------------------------- allOf merging

    /** The intersection of two schemas as one schema, for the keywords we can combine. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b, String path) {
        a = withoutDanglingConditional(a);
        b = withoutDanglingConditional(b);
        List<Conditionals.Conditional> condA = conditionals(a);
        List<Conditionals.Conditional> condB = conditionals(b);
        if (!condA.isEmpty() && !condB.isEmpty() && !condA.equals(condB)) {
            // conditionals on both sides: kept as one list, expanded together (expandConditional)
            List<Object> all = new ArrayList<>();
            for (Conditionals.Conditional c : condA) {
                all.add(c.asSchema());
            }
            for (Conditionals.Conditional c : condB) {
                if (!condA.contains(c)) {
                    all.add(c.asSchema());
                }
            }
            Map<String, Object> out = merge(withoutConditionals(a), withoutConditionals(b), path);
            out.put(CONDITIONALS, all);
            return out;
        }
        Map<String, Object> boundA = boundByOthersMembers(b, a);
        b = boundByOthersMembers(a, b);
        a = boundA;
        Map<String, Object> out = new LinkedHashMap<>(a);
        for (Map.Entry<String, Object> e : b.entrySet()) {
            String k = e.getKey();
            Object vb = e.getValue();
            if (!out.containsKey(k)) {
                out.put(k, vb);
                continue;
            }
            Object va = out.get(k);
            if (Json.write(va).equals(Json.write(vb)) || ANNOTATIONS.contains(k) || !isKnownKeyword(k)) {
                continue;
            }
            switch (k) {
                case "multipleOf" -> {
                    JsonNumber both = NumberRules.leastCommonMultiple(va, vb);
                    if (both == null) {
                        unenforced.add(path + ": allOf with two different 'multipleOf'");
                    } else {
                        out.put(k, both);
                    }
                }
                case "pattern" -> {
                    // both must match: the second joins the string's automaton (StringRules)
                    List<Object> more = new ArrayList<>(out.get(StringRules.MORE_PATTERNS) instanceof List<?> l ? l : List.of());
                    more.add(vb);
                    out.put(StringRules.MORE_PATTERNS, more);
                }
                case StringRules.NOT_PATTERNS, StringRules.MORE_PATTERNS -> {
                    List<Object> both = new ArrayList<>((List<Object>) va);
                    both.addAll((List<Object>) vb);
                    out.put(k, both);
                }
                case "type" -> {
                    List<String> ta = typeList(va);
                    List<String> tb = typeList(vb);
                    List<String> both = new ArrayList<>();
                    for (String t : ta) {
                        if (tb.contains(t)) {
                            both.add(t);
                        } else if (t.equals("number") && tb.contains("integer")) {
                            both.add("integer");
                        } else if (t.equals("integer") && tb.contains("number")) {
                            both.add("integer");
                        }
                    }
                    out.put(k, both);
                    if (both.isEmpty()) {
                        out.put("enum", List.of());
                    }
                }
                case "properties" -> {
                    Map<String, Object> props = new LinkedHashMap<>((Map<String, Object>) va);
                    for (Map.Entry<String, Object> p : ((Map<String, Object>) vb).entrySet()) {
                        props.merge(p.getKey(), p.getValue(), (x, y) -> Map.of("allOf", List.of(x, y)));
                    }
                    out.put(k, props);
                }
                case "patternProperties" -> {
                    Map<String, Object> props = new LinkedHashMap<>((Map<String, Object>) va);
                    for (Map.Entry<String, Object> p : ((Map<String, Object>) vb).entrySet()) {
                        props.merge(p.getKey(), p.getValue(), (x, y) -> Map.of("allOf", List.of(x, y)));
                    }
                    out.put(k, props);
                }
                case "required" -> {
                    LinkedHashSet<Object> req = new LinkedHashSet<>((List<Object>) va);
                    req.addAll((List<Object>) vb);
                    out.put(k, new ArrayList<>(req));
                }
                case "additionalProperties", "items", "additionalItems" -> {
                    if (Boolean.FALSE.equals(va) || Boolean.FALSE.equals(vb)) {
                        out.put(k, false);
                    } else if (Boolean.TRUE.equals(va)) {
                        out.put(k, vb);
                    } else if (!Boolean.TRUE.equals(vb)) {
                        if (va instanceof List<?> || vb instanceof List<?>) {
                            unenforced.add(path + ": allOf combining tuple '" + k + "'");
                        } else {
                            out.put(k, Map.of("allOf", List.of(va, vb)));
                        }
                    }
                }
                case "enum" -> {
                    List<Object> keep = new ArrayList<>();
                    Set<String> inB = new LinkedHashSet<>();
                    for (Object o : (List<Object>) vb) {
                        inB.add(Json.write(o));
                    }
                    for (Object o : (List<Object>) va) {
                        if (inB.contains(Json.write(o))) {
                            keep.add(o);
                        }
                    }
                    out.put(k, keep);
                }
                case "const" -> {
                    out.remove("const");
                    out.put("enum", List.of());
                }
                case "minimum", "minLength", "minItems", "exclusiveMinimum", "minProperties", "minContains" ->
                        out.put(k, maxOf(va, vb));
                case "maximum", "maxLength", "maxItems", "exclusiveMaximum", "maxProperties", "maxContains" ->
                        out.put(k, minOf(va, vb));
                case "anyOf", "oneOf" -> {
                    List<Object> product = new ArrayList<>();
                    for (Object x : (List<Object>) va) {
                        for (Object y : (List<Object>) vb) {
                            product.add(Map.of("allOf", List.of(x, y)));
                        }
                    }
                    if (product.size() > 256) {
                        // keep the first list (a superset), reported, rather than a grammar of every combination
                        unenforced.add(path + ": allOf of large anyOf/oneOf lists");
                    } else {
                        out.put(k, product);
                    }
                }
                case "not" -> {
                    // not A and not B: one recorded as "not", the other (if it cannot be) expanded
                    boolean simpleA = new Negation().add(va, path);
                    boolean simpleB = new Negation().add(vb, path);
                    Object kept = simpleB && !simpleA ? vb : va;
                    Object other = kept == va ? vb : va;
                    List<Object> alternatives = simpleA && simpleB ? null : complement(other, path);
                    if (alternatives == null) {
                        out.put(k, Map.of("anyOf", List.of(va, vb)));
                    } else {
                        out.put(k, kept);
                        Map<String, Object> joined = merge(out, Map.of("anyOf", alternatives), path);
                        out.clear();
                        out.putAll(joined);
                    }
                }
                case "allOf" -> {
                    List<Object> all = new ArrayList<>((List<Object>) va);
                    all.addAll((List<Object>) vb);
                    out.put(k, all);
                }
                case "format" -> {
                    // two different formats: keep the first, the other is checked after generation
                    unenforced.add(path + ": second 'format' in allOf");
                }
                default -> unenforced.add(path + ": allOf with two different '" + k + "'");
            }
        }
        return out;
    }

    /**
     * {@code other} with each property that {@code owner} does not declare also bound by what owner says
     * of such a member (its patternProperties matching the name, else its additionalProperties): once
     * merged, the name is declared and owner's rules for undeclared members would no longer reach it.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> boundByOthersMembers(Map<String, Object> owner, Map<String, Object> other) {
        Object additional = owner.getOrDefault("additionalProperties", Boolean.TRUE);
        Map<String, Object> patterns = owner.get("patternProperties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        if (!(other.get("properties") instanceof Map<?, ?> props) || (patterns.isEmpty() && Boolean.TRUE.equals(additional))) {
            return other;
        }
        Map<String, Object> declared = owner.get("properties") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        List<String> regexes = new ArrayList<>(patterns.keySet());
        KeyLanguages keys = regexes.isEmpty() ? null : KeyLanguages.build(regexes, List.of());
        if (!regexes.isEmpty() && keys == null) {
            return other; // patterns the key automaton cannot take: as before, merged without the bound
        }
        Map<String, Object> bound = new LinkedHashMap<>((Map<String, Object>) props);
        for (Map.Entry<String, Object> e : bound.entrySet()) {
            if (declared.containsKey(e.getKey())) {
                continue;
            }
            List<Object> all = new ArrayList<>(List.of(e.getValue()));
            int tags = keys == null ? 0 : keys.tagsOf(e.getKey());
            for (int i = 0; i < regexes.size(); i++) {
                if ((tags >> i & 1) != 0) {
                    all.add(patterns.get(regexes.get(i)));
                }
            }
            if (all.size() == 1) {
                all.add(additional);
            }
            if (all.stream().skip(1).anyMatch(x -> !Boolean.TRUE.equals(x) && !(x instanceof Map<?, ?> m && m.isEmpty()))) {
                e.setValue(Map.of("allOf", all));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(other);
        out.put("properties", bound);
        return out;
    }

    /** {@code then}/{@code else} without {@code if} assert nothing; dropped so that no other if adopts them. */
    private static Map<String, Object> withoutDanglingConditional(Map<String, Object> m) {
        if (m.containsKey("if") || (!m.containsKey("then") && !m.containsKey("else"))) {
            return m;
        }
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.remove("then");
        out.remove("else");
        return out;
    }

    private static List<String> typeList(Object t) {
        List<String> out = new ArrayList<>();
        if (t instanceof String s) {
            out.add(s);
        } else if (t instanceof List<?> l) {
            l.forEach(o -> out.add((String) o));
        }
        return out;
    }

    private static Object maxOf(Object a, Object b) {
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.value().compareTo(y.value()) >= 0 ? x : y;
        }
        return a;
    }

    private static Object minOf(Object a, Object b) {
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.value().compareTo(y.value()) <= 0 ? x : y;
        }
        return a;
    }

    // ---------------------------------------------------------------- literals

    /** A fixed JSON value, compact, followed by optional space; NEVER if its type is excluded. */
    private String literalValue(Object v, List<String> types, String path) {
        String t = v == Json.NULL ? "null" : v instanceof Boolean ? "boolean" : v instanceof String ? "string"
                : v instanceof JsonNumber n ? (n.isIntegral() ? "integer" : "number") : v instanceof List<?> ? "array"
                : "object";
        boolean ok = types.contains(t) || (t.equals("integer") && types.contains("number"))
                || (t.equals("number") && types.contains("integer") && false);
        if (!ok) {
            return NEVER;
        }
        rules.primitive("space");
        return GbnfWriter.literal(Json.write(v)) + " space";
    }

    // ---------------------------------------------------------------- strings

    private String booleanRule(Negation neg) {
        boolean t = !neg.forbidsValue(Boolean.TRUE);
        boolean f = !neg.forbidsValue(Boolean.FALSE);
        rules.primitive("space");
        return t && f ? rules.primitive("boolean") : t ? "\"true\" space" : f ? "\"false\" space" : NEVER;
    }

    /** What a supported {@code not} rules out. */
    private final class Negation {
        boolean everything;
        final Set<String> types = new LinkedHashSet<>();
        final Set<String> values = new LinkedHashSet<>(); // compact JSON
        final Set<String> properties = new LinkedHashSet<>();

        boolean forbidsValue(Object v) {
            return values.contains(Json.write(v));
        }

        /** Records what {@code not: n} forbids; false if we cannot express it. */
        @SuppressWarnings("unchecked")
        boolean add(Object n, String path) {
            if (Boolean.FALSE.equals(n)) {
                return true;
            }
            Map<String, Object> m = n instanceof Boolean ? Map.of() : resolveTop(n, path);
            Map<String, Object> a = assertions(m);
            if (a.isEmpty()) {
                everything = true;
                return true;
            }
            if (a.size() == 1 && a.containsKey("type")) {
                types.addAll(typeList(a.get("type")));
                return true;
            }
            if (a.size() == 1 && a.containsKey("const")) {
                values.add(Json.write(a.get("const")));
                return true;
            }
            if (a.size() == 1 && a.get("enum") instanceof List<?> e) {
                e.forEach(v -> values.add(Json.write(v)));
                return true;
            }
            if (a.size() == 1 && a.get("required") instanceof List<?> r && r.size() == 1) {
                // {required} holds for every non-object, so its negation rules them all out
                properties.add((String) r.getFirst());
                types.addAll(List.of("array", "string", "number", "integer", "boolean", "null"));
                return true;
            }
            if (a.size() == 1 && a.get("anyOf") instanceof List<?> any) {
                for (Object b : any) {
                    if (!add(b, path)) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }
    }

}
