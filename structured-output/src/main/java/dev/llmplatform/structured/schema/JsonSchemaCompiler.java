package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.gbnf.GrammarExpr;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.json.Json.JsonNumber;
import dev.llmplatform.structured.regex.RegexParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
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
 * <p><b>Keywords.</b> Enforced: type (also lists), properties, required, additionalProperties
 * (false/true/schema), patternProperties, items, prefixItems, additionalItems, minItems, maxItems,
 * enum, const, anyOf, allOf (merged), $ref to {@code #...} incl. recursion, $defs/definitions,
 * minLength, maxLength, pattern, format (date, time, date-time, uuid, email, uri, ipv4, hostname),
 * minimum/maximum/exclusive* on integers and (integer-valued bounds) on numbers, nullable, boolean
 * schemas. Approximated as a superset (listed in {@link CompiledSchema#approximations()}): oneOf is
 * compiled as anyOf; a member matching patternProperties may also be taken as an additional property.
 * Anything else that asserts (not, multipleOf, uniqueItems, contains, min/maxProperties, dependencies,
 * propertyNames, if/then/else, unevaluated*, remote $ref...) is reported: in strict mode (the default)
 * compilation fails listing every such keyword; in lenient mode the grammar ignores them and they are
 * returned in {@link CompiledSchema#unenforced()} so the caller validates the output afterwards.
 * Annotations (title, description, examples, default, $schema, $id, $comment, deprecated, readOnly,
 * writeOnly, contentMediaType...) and unknown keywords are ignored, as the specification requires.
 */
public final class JsonSchemaCompiler {

    /** The grammar for a schema, plus what it does not check exactly. */
    public record CompiledSchema(String gbnf, List<String> unenforced, List<String> approximations) {
    }

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "examples", "default", "$schema",
            "$id", "id", "$comment", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
            "contentSchema", "$anchor", "$vocabulary", "discriminator", "xml", "externalDocs", "example");
    private static final Set<String> UNSUPPORTED = Set.of("uniqueItems", "contains", "minContains",
            "maxContains", "dependencies", "dependentRequired", "dependentSchemas",
            "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef",
            "$recursiveRef");
    private static final Set<String> OBJECT_KEYS = Set.of("properties", "required", "additionalProperties",
            "patternProperties", "minProperties", "maxProperties", "dependencies", "propertyNames",
            "dependentRequired", "dependentSchemas", "unevaluatedProperties");
    private static final Set<String> ARRAY_KEYS = Set.of("items", "prefixItems", "additionalItems", "minItems",
            "maxItems", "uniqueItems", "contains", "unevaluatedItems");
    private static final Set<String> STRING_KEYS = Set.of("minLength", "maxLength", "pattern", "format");
    private static final Set<String> NUMBER_KEYS = Set.of("minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf");
    private static final List<String> ALL_TYPES = List.of("object", "array", "string", "number", "boolean", "null");
    private static final List<String> ALL_TYPES_AND_INTEGER = List.of("object", "array", "string", "number",
            "integer", "boolean", "null");
    private static final Set<String> PRIMITIVES = Set.of("space", "boolean", "null", "char", "string", "integral",
            "integer", "number", "value", "object", "array", "root");
    /** Internal keyword: member names an object must not have (from expanding dependencies). */
    private static final String FORBID = "\u0000forbid";
    private static final String NEVER = "[^\\x00-\\U0010FFFF]";

    private final boolean strict;
    private final boolean refIgnoresSiblings;
    private final Object root;
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Map<String, String> bodyToName = new HashMap<>();
    private final Map<String, String> refRules = new HashMap<>();
    private final Map<String, String> allOfRules = new HashMap<>();
    private final Set<String> unenforced = new LinkedHashSet<>();
    private final Set<String> approximations = new LinkedHashSet<>();
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
        StringBuilder sb = new StringBuilder();
        // JSON text may start with whitespace (RFC 8259), e.g. SentencePiece's "▁{" token
        primitive("space");
        sb.append("root ::= space ").append(top).append('\n');
        for (Map.Entry<String, String> e : rules.entrySet()) {
            sb.append(e.getKey()).append(" ::= ").append(e.getValue()).append('\n');
        }
        if (strict && !unenforced.isEmpty()) {
            throw new SchemaCompileException(new ArrayList<>(unenforced));
        }
        return new CompiledSchema(sb.toString(), List.copyOf(unenforced), List.copyOf(approximations));
    }

    // ---------------------------------------------------------------- rules

    private String define(String hint, String body) {
        String existing = bodyToName.get(body);
        if (existing != null) {
            return existing;
        }
        String name = uniqueName(hint);
        rules.put(name, body);
        bodyToName.put(body, name);
        return name;
    }

    private String uniqueName(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        if (base.isEmpty() || base.equals("root")) {
            base = "r";
        }
        if (base.length() > 40) {
            base = base.substring(base.length() - 40).replaceAll("^-", "");
        }
        String name = base;
        for (int i = 1; rules.containsKey(name) || PRIMITIVES.contains(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    private String primitive(String name) {
        if (rules.containsKey(name)) {
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
            case "integer" -> "integral (\".\" \"0\"+)? space";
            case "number" -> "integral (\".\" [0-9]+)? ([eE] [-+]? ([0-9]{1,2} | [12] [0-9] [0-9]))? space";
            case "value" -> "object | array | string | number | boolean | null";
            case "object" -> "\"{\" space (string \":\" space value (\",\" space string \":\" space value)*)? \"}\" space";
            case "array" -> "\"[\" space (value (\",\" space value)*)? \"]\" space";
            default -> throw new IllegalStateException(name);
        };
        rules.put(name, body);
        bodyToName.put(body, name);
        for (String dep : List.of("space", "integral", "string", "number", "boolean", "null", "object", "array", "value",
                "char")) {
            if (!dep.equals(name) && body.matches("(?s).*(^|[^a-z\"-])" + dep + "([^a-z-]|$).*")) {
                primitive(dep);
            }
        }
        return name;
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
            return b ? primitive("value") : NEVER;
        }
        if (!(schema instanceof Map<?, ?>)) {
            throw new SchemaCompileException(List.of(path + ": a schema must be an object or a boolean"));
        }
        Map<String, Object> m = (Map<String, Object>) schema;
        if (listsValuesBesideOtherAssertions(m)) {
            List<Object> finite = FiniteValues.admitted(m, root, FORBID);
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
            String name = uniqueName(path + "-allof");
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
            expanded = expandNegatedConjunction(m, path);
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
            return alts.isEmpty() ? NEVER : alts.size() == 1 ? alts.getFirst() : define(path + "-alt", String.join(" | ", alts));
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
            return define(path + "-enum", String.join(" | ", alts));
        }
        List<String> alts = new ArrayList<>();
        boolean hasNumber = types.contains("number");
        for (String t : types) {
            String alt = switch (t) {
                case "null" -> neg.forbidsValue(Json.NULL) ? null : primitive("null");
                case "boolean" -> booleanRule(neg);
                case "string" -> stringRule(m, path, neg);
                case "integer" -> hasNumber ? null : numberRule(m, true, path, neg);
                case "number" -> numberRule(m, false, path, neg);
                case "object" -> objectRule(m, path, neg);
                case "array" -> arrayRule(m, path);
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
            return primitive("value");
        }
        return alts.size() == 1 ? alts.getFirst() : define(path + "-types", String.join(" | ", alts));
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

    /** The alternatives of values already checked against their whole schema ({@link FiniteValues}). */
    private String finiteValues(List<Object> values, String path) {
        List<String> alts = new ArrayList<>();
        for (Object v : values) {
            String lit = literalValue(v, ALL_TYPES_AND_INTEGER, path);
            if (!alts.contains(lit)) {
                alts.add(lit);
            }
        }
        return alts.isEmpty() ? NEVER : define(path + "-enum", String.join(" | ", alts));
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
                || UNSUPPORTED.contains(k) || Set.of("type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref",
                        "nullable", "not").contains(k);
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
     * {@code not} of a conjunction we cannot negate as a whole, written as the anyOf of negating each
     * part: {@code not {required:[a,b]}} is "a absent or b absent", {@code not {allOf:[A,B]}} is
     * "not A or not B", and a schema's independent keywords are a conjunction too. Null when not
     * applicable.
     */
    @SuppressWarnings("unchecked")
    private List<Object> expandNegatedConjunction(Map<String, Object> m, String path) {
        if (!m.containsKey("not") || new Negation().add(m.get("not"), path)) {
            return null;
        }
        Object n = m.get("not");
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
        } else if (a.size() > 1) {
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
        List<Object> variants = new ArrayList<>();
        for (Object part : parts) {
            Map<String, Object> v = new LinkedHashMap<>(m);
            v.put("not", part);
            variants.add(v);
        }
        return variants;
    }

    // ---------------------------------------------------------------- $ref

    private String refRule(String ref, String path) {
        String existing = refRules.get(ref);
        if (existing != null) {
            return existing;
        }
        String name = uniqueName("ref-" + ref.substring(ref.lastIndexOf('/') + 1));
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
                        unenforced.add(path + ": allOf of large anyOf/oneOf lists");
                    }
                    out.put(k, product);
                }
                case "not" -> out.put(k, Map.of("anyOf", List.of(va, vb)));
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
        primitive("space");
        return GbnfWriter.literal(Json.write(v)) + " space";
    }

    // ---------------------------------------------------------------- strings

    private String booleanRule(Negation neg) {
        boolean t = !neg.forbidsValue(Boolean.TRUE);
        boolean f = !neg.forbidsValue(Boolean.FALSE);
        primitive("space");
        return t && f ? primitive("boolean") : t ? "\"true\" space" : f ? "\"false\" space" : NEVER;
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

    private String stringRule(Map<String, Object> m, String path, Negation neg) {
        String pattern = m.get("pattern") instanceof String p ? p : null;
        String format = m.get("format") instanceof String f ? f : null;
        Integer minLen = intValue(m.get("minLength"));
        Integer maxLen = intValue(m.get("maxLength"));
        boolean lengths = (minLen != null && minLen > 0) || maxLen != null;
        primitive("space");
        List<String> forbidden = new ArrayList<>();
        for (String v : neg.values) {
            if (v.startsWith("\"")) {
                forbidden.add((String) Json.parse(v));
            }
        }
        if (!forbidden.isEmpty()) {
            if (pattern != null || lengths || (format != null && formatRule(format) != null)) {
                unenforced.add(path + ": 'not' {enum} together with pattern/format/length");
            } else {
                return define(path + "-string-not", stringExcluding(forbidden, path) + " space");
            }
        }
        if (pattern != null && lengths) {
            String both = patternWithLength(pattern, minLen == null ? 0 : minLen, maxLen);
            if (both == null) {
                both = patternImplyingLength(pattern, minLen == null ? 0 : minLen, maxLen);
            }
            if (both != null) {
                return both.equals(NEVER) ? NEVER
                        : define(path + "-pattern", "\"\\\"\" " + both + " \"\\\"\" space");
            }
        }
        if (pattern != null) {
            if (lengths) {
                unenforced.add(path + ": minLength/maxLength together with pattern");
            }
            if (format != null && formatRule(format) != null) {
                unenforced.add(path + ": format '" + format + "' together with pattern");
            }
            String content;
            try {
                content = new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT).write(RegexParser.parseSearch(pattern));
            } catch (IllegalArgumentException e) {
                unenforced.add(path + ": pattern: " + e.getMessage());
                return primitive("string");
            }
            return define(path + "-pattern", "\"\\\"\" " + content + " \"\\\"\" space");
        }
        if (format != null) {
            String f = formatRule(format);
            if (f != null) {
                if (lengths) {
                    unenforced.add(path + ": minLength/maxLength together with format '" + format + "'");
                }
                return define("format-" + format, "\"\\\"\" " + f + " \"\\\"\" space");
            }
        }
        if (lengths) {
            int lo = minLen == null ? 0 : minLen;
            if (maxLen != null && maxLen < lo) {
                return NEVER;
            }
            primitive("char");
            String rep = maxLen == null ? "{" + lo + ",}" : lo == maxLen ? "{" + lo + "}" : "{" + lo + "," + maxLen + "}";
            return define(path + "-string", "\"\\\"\" char" + rep + " \"\\\"\" space");
        }
        return primitive("string");
    }

    /**
     * A pattern of the form {@code ^X{m,n}$} (or {@code * + ?}) where X matches one character, with
     * the length bounds folded into the repetition; null for any other pattern.
     */
    private static String patternWithLength(String pattern, int minLen, Integer maxLen) {
        if (!pattern.startsWith("^") || !pattern.endsWith("$") || pattern.endsWith("\\$") || pattern.length() < 3) {
            return null;
        }
        GrammarExpr e;
        try {
            e = RegexParser.parseFull(pattern.substring(1, pattern.length() - 1));
        } catch (IllegalArgumentException ex) {
            return null;
        }
        if (!(e instanceof GrammarExpr.Repeat r) || !(r.item() instanceof GrammarExpr.CharClass
                || (r.item() instanceof GrammarExpr.Literal l && l.text().codePointCount(0, l.text().length()) == 1))) {
            return null;
        }
        int lo = Math.max(r.min(), minLen);
        int hi = r.max() == GrammarExpr.Repeat.UNBOUNDED ? (maxLen == null ? GrammarExpr.Repeat.UNBOUNDED : maxLen)
                : maxLen == null ? r.max() : Math.min(r.max(), maxLen);
        if (hi != GrammarExpr.Repeat.UNBOUNDED && hi < lo) {
            return NEVER;
        }
        return new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT).write(new GrammarExpr.Repeat(r.item(), lo, hi));
    }

    /**
     * Pattern and lengths together where the lengths add nothing or pin the match: every string the
     * pattern admits already has an allowed length (the lengths are redundant), or the longest allowed
     * string is as short as the pattern's shortest match and all of the pattern's own matches have
     * that one length (an unanchored pattern then matches the whole string). Null otherwise.
     */
    private static String patternImplyingLength(String pattern, int minLen, Integer maxLen) {
        GrammarExpr search;
        try {
            search = RegexParser.parseSearch(pattern);
        } catch (IllegalArgumentException e) {
            return null;
        }
        RegexLengths whole = RegexLengths.of(search);
        GbnfWriter writer = new GbnfWriter(GbnfWriter.Mode.JSON_STRING_CONTENT);
        if (whole.min() >= minLen && (maxLen == null || whole.max() <= maxLen)) {
            return writer.write(search);
        }
        if (maxLen != null && maxLen < whole.min()) {
            return NEVER;
        }
        if (maxLen == null || maxLen != whole.min() || maxLen < minLen) {
            return null;
        }
        String body = pattern;
        if (body.startsWith("^")) {
            body = body.substring(1);
        }
        if (body.endsWith("$") && !body.endsWith("\\$")) {
            body = body.substring(0, body.length() - 1);
        }
        GrammarExpr full;
        try {
            full = RegexParser.parseFull(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
        RegexLengths match = RegexLengths.of(full);
        return match.min() == maxLen && match.max() == maxLen ? writer.write(full) : null;
    }

    /** Content grammar for a string format, or null for formats we treat as annotations. */
    private static String formatRule(String format) {
        String date = "[0-9]{4} \"-\" (\"0\" [1-9] | \"1\" [0-2]) \"-\" (\"0\" [1-9] | [12] [0-9] | \"3\" [01])";
        String time = "([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" ([0-5] [0-9] | \"60\") (\".\" [0-9]+)? "
                + "([zZ] | [+-] ([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9])";
        return switch (format) {
            case "date" -> date;
            case "time" -> time;
            case "date-time" -> date + " [tT] " + time;
            case "uuid" -> "[0-9a-fA-F]{8} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{4} \"-\" [0-9a-fA-F]{12}";
            case "email" -> "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+ (\".\" [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)* \"@\" "
                    + "([A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])? \".\")* [A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])?";
            case "uri" -> "[A-Za-z] [A-Za-z0-9+.-]* \":\" [^\"\\\\\\x00-\\x20<>{}|^`]*";
            case "ipv4" -> "(([0-9] | [1-9] [0-9] | \"1\" [0-9] [0-9] | \"2\" [0-4] [0-9] | \"25\" [0-5]) \".\"){3} "
                    + "([0-9] | [1-9] [0-9] | \"1\" [0-9] [0-9] | \"2\" [0-4] [0-9] | \"25\" [0-5])";
            case "hostname" -> "[A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])? (\".\" [A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])?)*";
            default -> null;
        };
    }

    private static Integer intValue(Object o) {
        if (o instanceof JsonNumber n) {
            BigDecimal v = n.value();
            if (v.compareTo(BigDecimal.valueOf(100_000)) > 0) {
                return null; // so large it does not constrain generation in practice
            }
            return v.setScale(0, RoundingMode.CEILING).intValue();
        }
        return null;
    }

    /**
     * A JSON string (quotes included, no trailing space) whose value is none of {@code excluded}: a
     * trie of the excluded values where leaving the trie (another character, an escape) or closing the
     * quote at a non-final node is allowed.
     */
    private String stringExcluding(List<String> excluded, String hint) {
        Trie root = new Trie();
        for (String v : excluded) {
            Trie t = root;
            for (int cp : v.codePoints().toArray()) {
                t = t.children.computeIfAbsent(cp, k -> new Trie());
            }
            t.terminal = true;
        }
        primitive("char");
        String rest = define("string-rest", "char* \"\\\"\"");
        return define(hint + "-str", "\"\\\"\" " + trieRule(root, rest, hint));
    }

    private static final class Trie {
        final java.util.TreeMap<Integer, Trie> children = new java.util.TreeMap<>();
        boolean terminal;
    }

    private String trieRule(Trie node, String rest, String hint) {
        List<String> alts = new ArrayList<>();
        if (!node.terminal) {
            alts.add("\"\\\"\"");
        }
        List<Integer> ex = new ArrayList<>(List.of(0, 0x1F, (int) '"', (int) '"', (int) '\\', (int) '\\'));
        for (Map.Entry<Integer, Trie> c : node.children.entrySet()) {
            alts.add(GbnfWriter.literal(GbnfWriter.jsonEscape(c.getKey())) + " " + trieRule(c.getValue(), rest, hint));
            ex.add(c.getKey());
            ex.add(c.getKey());
        }
        int[] plain = dev.llmplatform.structured.gbnf.CodePointSets.normalize(
                ex.stream().mapToInt(Integer::intValue).toArray(), true);
        alts.add(GbnfWriter.classText(plain) + " " + rest);
        alts.add("\"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4}) " + rest);
        return define(hint + "-k", String.join(" | ", alts));
    }

    // ---------------------------------------------------------------- numbers

    private String numberRule(Map<String, Object> m, boolean integer, String path, Negation neg) {
        for (String v : neg.values) {
            if (!v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-')) {
                unenforced.add(path + ": 'not' {enum/const} with numbers");
                break;
            }
        }
        BigDecimal min = dec(m.get("minimum"));
        BigDecimal max = dec(m.get("maximum"));
        BigDecimal exMin = dec(m.get("exclusiveMinimum"));
        BigDecimal exMax = dec(m.get("exclusiveMaximum"));
        // draft 4: exclusiveMinimum/Maximum are booleans modifying minimum/maximum
        if (Boolean.TRUE.equals(m.get("exclusiveMinimum")) && min != null) {
            exMin = min;
            min = null;
        }
        if (Boolean.TRUE.equals(m.get("exclusiveMaximum")) && max != null) {
            exMax = max;
            max = null;
        }
        primitive("space");
        BigDecimal multipleOf = dec(m.get("multipleOf"));
        if (multipleOf != null && multipleOf.signum() > 0 && isInteger(multipleOf) && multipleOf.intValueExact() == 1) {
            integer = true; // multiples of 1 are exactly the integers
            multipleOf = null;
        }
        if (multipleOf != null) {
            if (min != null || max != null || exMin != null || exMax != null) {
                String values = boundedMultiples(multipleOf, integer, min, exMin, max, exMax);
                if (values != null) {
                    return values.equals(NEVER) ? NEVER : define("multiples-" + multipleOf.toPlainString().replace('.', '_'),
                            values);
                }
                unenforced.add(path + ": multipleOf together with minimum/maximum");
            } else {
                String rule = MultipleOfGrammar.rule(multipleOf, integer);
                if (rule == null) {
                    unenforced.add(path + ": multipleOf " + multipleOf.toPlainString() + " (automaton too large)");
                    return primitive(integer ? "integer" : "number");
                }
                String name = "multiple-of-" + multipleOf.toPlainString().replace('.', '_') + (integer ? "-int" : "");
                if (!rules.containsKey(name)) {
                    for (String line : rule.split("\n")) {
                        int eq = line.indexOf(" ::= ");
                        rules.put(name + line.substring(0, eq), line.substring(eq + 5).replace("@", name));
                    }
                }
                return name;
            }
        }
        if (min == null && max == null && exMin == null && exMax == null) {
            return primitive(integer ? "integer" : "number");
        }
        if (integer) {
            BigInteger lo = null;
            BigInteger hi = null;
            if (min != null) {
                lo = min.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
            }
            if (exMin != null) {
                BigInteger e = exMin.setScale(0, RoundingMode.FLOOR).toBigIntegerExact().add(BigInteger.ONE);
                lo = lo == null ? e : lo.max(e);
            }
            if (max != null) {
                hi = max.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            }
            if (exMax != null) {
                BigInteger e = exMax.setScale(0, RoundingMode.CEILING).toBigIntegerExact().subtract(BigInteger.ONE);
                hi = hi == null ? e : hi.min(e);
            }
            String body = IntegerRanges.range(lo, hi);
            if (body == null) {
                return NEVER;
            }
            // an integer may be written with a zero fraction ("7.0"), as the unbounded integer rule allows
            return define("integer-" + (lo == null ? "" : lo) + "-" + (hi == null ? "" : hi),
                    "(" + body + ") (\".\" \"0\"+)? space");
        }
        // numbers: exact for integer-valued bounds, written without exponent
        BigDecimal lo = min != null ? min : exMin;
        boolean loExcl = min == null && exMin != null;
        if (min != null && exMin != null && exMin.compareTo(min) >= 0) {
            lo = exMin;
            loExcl = true;
        }
        BigDecimal hi = max != null ? max : exMax;
        boolean hiExcl = max == null && exMax != null;
        if (max != null && exMax != null && exMax.compareTo(max) <= 0) {
            hi = exMax;
            hiExcl = true;
        }
        if ((lo != null && !isInteger(lo)) || (hi != null && !isInteger(hi))) {
            unenforced.add(path + ": non-integer number bound");
            return primitive("number");
        }
        BigInteger l = lo == null ? null : lo.toBigIntegerExact();
        BigInteger h = hi == null ? null : hi.toBigIntegerExact();
        List<String> alts = new ArrayList<>();
        String pos = nonNegativeDecimals(l, loExcl, h, hiExcl);
        if (pos != null) {
            alts.add(pos);
        }
        String negative = nonNegativeDecimals(h == null ? null : h.negate(), hiExcl, l == null ? null : l.negate(), loExcl);
        if (negative != null) {
            alts.add("\"-\" (" + negative + ")");
        }
        if (alts.isEmpty()) {
            return NEVER;
        }
        return define("number-" + (lo == null ? "" : lo.toPlainString()) + "-" + (hi == null ? "" : hi.toPlainString()),
                "(" + String.join(" | ", alts) + ") space");
    }

    /** Most values {@link #boundedMultiples} lists. */
    private static final int MAX_LISTED_MULTIPLES = 1024;

    /**
     * The multiples of {@code step} between two bounds, listed (each as a numeral without exponent,
     * trailing zeros allowed), when there are at most {@link #MAX_LISTED_MULTIPLES}; NEVER if none, null
     * if a bound is missing or there are too many.
     */
    private String boundedMultiples(BigDecimal step, boolean integer, BigDecimal min, BigDecimal exMin, BigDecimal max,
            BigDecimal exMax) {
        BigDecimal lo = min != null ? min : exMin;
        BigDecimal hi = max != null ? max : exMax;
        if (lo == null || hi == null || step.signum() <= 0) {
            return null;
        }
        if (min != null && exMin != null && exMin.compareTo(min) > 0) {
            lo = exMin;
        }
        if (max != null && exMax != null && exMax.compareTo(max) < 0) {
            hi = exMax;
        }
        BigDecimal unit = integer ? lcmWithOne(step) : step;
        BigInteger first = lo.divide(unit, 0, RoundingMode.CEILING).toBigInteger();
        BigInteger last = hi.divide(unit, 0, RoundingMode.FLOOR).toBigInteger();
        if (last.subtract(first).compareTo(BigInteger.valueOf(MAX_LISTED_MULTIPLES)) >= 0) {
            return null;
        }
        List<String> alts = new ArrayList<>();
        for (BigInteger k = first; k.compareTo(last) <= 0; k = k.add(BigInteger.ONE)) {
            BigDecimal v = unit.multiply(new BigDecimal(k));
            if ((min != null && v.compareTo(min) < 0) || (exMin != null && v.compareTo(exMin) <= 0)
                    || (max != null && v.compareTo(max) > 0) || (exMax != null && v.compareTo(exMax) >= 0)) {
                continue;
            }
            BigDecimal plain = v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
            String text = plain.toPlainString();
            alts.add(plain.scale() <= 0 ? "\"" + text + "\" (\".\" \"0\"+)?" : "\"" + text + "\" \"0\"*");
        }
        primitive("space");
        return alts.isEmpty() ? NEVER : "(" + String.join(" | ", alts) + ") space";
    }

    /** The least common multiple of {@code step} and 1 (integers that are multiples of step). */
    private static BigDecimal lcmWithOne(BigDecimal step) {
        BigDecimal s = step.stripTrailingZeros();
        if (s.scale() <= 0) {
            return s;
        }
        BigInteger num = s.unscaledValue();
        BigInteger den = BigInteger.TEN.pow(s.scale());
        BigInteger g = num.gcd(den);
        return new BigDecimal(num.divide(g)); // lcm(num/den, 1) = num / gcd(num, den)
    }

    /**
     * Numerals {@code I(.F)?} of values {@code x >= 0} with {@code lo <(=) x <(=) hi} (integer bounds,
     * null = unbounded); null if none.
     */
    private static String nonNegativeDecimals(BigInteger lo, boolean loExcl, BigInteger hi, boolean hiExcl) {
        BigInteger lowI = lo == null || lo.signum() < 0 || (lo.signum() == 0 && !loExcl) ? BigInteger.ZERO
                : loExcl ? lo.add(BigInteger.ONE) : lo;
        if (lo != null && lo.signum() < 0) {
            lowI = BigInteger.ZERO;
        }
        List<String> alts = new ArrayList<>();
        String frac = "(\".\" [0-9]+)?";
        // integer part strictly below hi: any fraction
        BigInteger highI = hi == null ? null : hi.subtract(BigInteger.ONE);
        if (highI == null || highI.compareTo(lowI) >= 0) {
            String ints = IntegerRanges.nonNegative(lowI, highI);
            if (ints != null) {
                alts.add("(" + ints + ") " + frac);
            }
        }
        // exactly hi (fraction of zeros) when inclusive
        if (hi != null && !hiExcl && hi.signum() >= 0 && (lo == null || hi.compareTo(lo) > 0 || (!loExcl && hi.equals(lo)))
                && hi.compareTo(lowI) >= 0) {
            alts.add("\"" + hi + "\" (\".\" \"0\"+)?");
        }
        // exactly lo with a non-zero fraction when exclusive
        if (lo != null && loExcl && lo.signum() >= 0 && (hi == null || lo.compareTo(hi) < 0)) {
            alts.add("\"" + lo + "\" \".\" [0-9]* [1-9] [0-9]*");
        }
        return alts.isEmpty() ? null : String.join(" | ", alts);
    }

    private static boolean isInteger(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    private static BigDecimal dec(Object o) {
        return o instanceof JsonNumber n ? n.value() : null;
    }

    // ---------------------------------------------------------------- objects

    @SuppressWarnings("unchecked")
    private String objectRule(Map<String, Object> m, String path, Negation neg) {
        Map<String, Object> props = m.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        Set<String> required = new LinkedHashSet<>();
        if (m.get("required") instanceof List<?> r) {
            r.forEach(o -> required.add((String) o));
        }
        Map<String, Object> patternProps = m.get("patternProperties") instanceof Map<?, ?> pp
                ? (Map<String, Object>) pp : Map.of();
        Object additional = m.getOrDefault("additionalProperties", Boolean.TRUE);
        primitive("space");

        List<String> names = new ArrayList<>(props.keySet());
        for (String r : required) {
            if (!props.containsKey(r)) {
                names.add(r); // required but not described: any value
            }
        }
        List<String> kvs = new ArrayList<>();
        List<Boolean> isRequired = new ArrayList<>();
        names.removeAll(neg.properties);
        for (String name : neg.properties) {
            if (required.contains(name)) {
                return NEVER;
            }
        }
        List<String> patterns = new ArrayList<>(patternProps.keySet());
        Set<String> taken = new LinkedHashSet<>(props.keySet());
        taken.addAll(required);
        taken.addAll(neg.properties);
        KeyLanguages keys = patterns.isEmpty() ? null : KeyLanguages.build(patterns, new ArrayList<>(taken));
        for (String name : names) {
            Object sub = props.getOrDefault(name, Boolean.TRUE);
            if (keys != null) {
                // a declared name matching patterns must satisfy their schemas too
                int matched = keys.tagsOf(name) & (keys.namesBit() - 1);
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
            kvs.add(define(path + "-" + name + "-kv", GbnfWriter.literal(key.toString()) + " space \":\" space " + value));
            isRequired.add(req);
        }
        // additional members: pattern-keyed and/or any key
        List<String> extra = new ArrayList<>();
        if (keys != null) {
            extraMembersByKeyLanguage(keys, patterns, patternProps, additional, path, extra);
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
                    primitive("char");
                }
                if (!value.equals(NEVER)) {
                    extra.add(define(path + "-pp" + i + "-kv", "\"\\\"\" " + keyContent + " \"\\\"\" space \":\" space " + value));
                }
                i++;
            }
        }
        if (keys == null && !Boolean.FALSE.equals(additional)) {
            String value = visit(additional, path + "/additionalProperties");
            if (!value.equals(NEVER)) {
                // any key but the declared (or forbidden) ones, so a declared member cannot dodge its schema
                String key = taken.isEmpty() ? primitive("string") : stringExcluding(new ArrayList<>(taken), path + "-key")
                        + " space";
                extra.add(define(path + "-additional-kv", key + " \":\" space " + value));
            }
        }
        String extraKv = extra.isEmpty() ? null : extra.size() == 1 ? extra.getFirst()
                : define(path + "-extra-kv", String.join(" | ", extra));
        if (m.containsKey("minProperties") || m.containsKey("maxProperties")) {
            String counted = countedMembers(m, kvs, isRequired, extraKv, path);
            if (counted != null) {
                return counted;
            }
        }
        // After(i): something already written, members i.. remain; First(i): nothing written yet.
        String afterTail = extraKv == null ? null : define(path + "-extra-tail", "(\",\" space " + extraKv + ")*");
        int n = kvs.size();
        String[] after = new String[n + 1];
        after[n] = afterTail;
        for (int i = n - 1; i >= 0; i--) {
            String item = "\",\" space " + kvs.get(i);
            String body = isRequired.get(i) ? item : "(" + item + ")?";
            if (after[i + 1] != null) {
                body += " " + after[i + 1];
            }
            after[i] = define(path + "-after-" + i, body);
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
            first = define(path + "-first-" + i, body);
        }
        String inner = first == null ? "" : " " + first;
        return define(path + "-object", "\"{\" space" + inner + " \"}\" space");
    }

    /** Most patterns for which every combination of matched patterns gets its own member rule. */
    private static final int MAX_COMBINED_PATTERNS = 3;

    /**
     * Members other than the declared ones, exactly: a key matching patterns T (and no declared name)
     * takes a value valid against every schema in T; a key matching none is an additional property.
     * With more than {@link #MAX_COMBINED_PATTERNS} patterns, a key matching several is checked
     * against one of them (reported as an approximation).
     */
    private void extraMembersByKeyLanguage(KeyLanguages keys, List<String> patterns, Map<String, Object> patternProps,
            Object additional, String path, List<String> extra) {
        KeyLanguages.RuleSink sink = new KeyLanguages.RuleSink() {
            @Override
            public String reserve(String hint) {
                String name = uniqueName(hint);
                rules.put(name, "");
                return name;
            }

            @Override
            public void put(String name, String body) {
                rules.put(name, body);
            }
        };
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
            String key = keys.keyRule(combine ? t -> t == tags : t -> (t & tags) != 0 && (t & namesBit) == 0, sink,
                    path + "-pp" + set);
            if (key != null) {
                extra.add(define(path + "-pp" + set + "-kv", key + " space \":\" space " + value));
            }
        }
        if (!Boolean.FALSE.equals(additional)) {
            String value = visit(additional, path + "/additionalProperties");
            String key = value.equals(NEVER) ? null : keys.keyRule(t -> t == 0, sink, path + "-add");
            if (key != null) {
                extra.add(define(path + "-additional-kv", key + " space \":\" space " + value));
            }
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
        Integer minObj = intValue(m.get("minProperties"));
        Integer maxObj = intValue(m.get("maxProperties"));
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
                first = define(path + "-first-extra", first);
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
        return define(path + "-object", "\"{\" space" + (first.isEmpty() ? "" : " " + first) + " \"}\" space");
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
        return define(path + "-extras-c" + c, "(\",\" space " + extraKv + ")" + rep);
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
            return only.isEmpty() ? "" : define(hint, only);
        }
        if (a.isEmpty() || b.isEmpty()) {
            String other = a.isEmpty() ? b : a;
            return define(hint, "(" + other + ")?");
        }
        return define(hint, a + " | " + b);
    }

    // ---------------------------------------------------------------- arrays

    @SuppressWarnings("unchecked")
    private String arrayRule(Map<String, Object> m, String path) {
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
        Integer minObj = intValue(m.get("minItems"));
        Integer maxObj = intValue(m.get("maxItems"));
        int min = minObj == null ? 0 : Math.max(0, minObj);
        Integer max = maxObj;
        if (max != null && max < min) {
            return NEVER;
        }
        primitive("space");
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
        String tail = restTail == null || upto == 0 ? null : define(path + "-rest", restTail);
        for (int i = upto - 1; i >= 1; i--) {
            String body = "\",\" space " + items.get(i) + (tail == null ? "" : " " + tail);
            body = i >= min ? "(" + body + ")?" : body;
            tail = define(path + "-tail-" + i, body);
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
        return define(path + "-array", "\"[\" space" + inner + " \"]\" space");
    }
}
