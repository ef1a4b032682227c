package dev.llmplatform.structured.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reorders an instance's object members into the order the schema's grammar produces them: declared
 * properties in schema order (allOf parts in order, $ref targets first), then the others in their
 * original order. Two JSON objects with the same members are the same value, so this changes nothing
 * a validator sees; it lets a schema-ordered grammar be evaluated on instances written in another
 * member order.
 */
public final class PropertyOrder {
    private final Object root;

    private PropertyOrder(Object root) {
        this.root = root;
    }

    public static Object canonicalize(Object instance, Object schema) {
        return new PropertyOrder(schema).apply(instance, schema, 0);
    }

    @SuppressWarnings("unchecked")
    private Object apply(Object instance, Object schema, int depth) {
        if (depth > 64) {
            return instance;
        }
        List<Map<String, Object>> views = views(schema, 0);
        if (instance instanceof Map<?, ?> obj) {
            Map<String, Object> in = (Map<String, Object>) obj;
            Map<String, Object> best = bestObjectView(views, in);
            Map<String, Object> props = best != null && best.get("properties") instanceof Map<?, ?> p
                    ? (Map<String, Object>) p : Map.of();
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : props.keySet()) {
                if (in.containsKey(k)) {
                    out.put(k, apply(in.get(k), props.get(k), depth + 1));
                }
            }
            if (best != null && best.get("required") instanceof List<?> req) {
                for (Object r : req) {
                    if (r instanceof String k && in.containsKey(k) && !out.containsKey(k)) {
                        out.put(k, in.get(k));
                    }
                }
            }
            for (Map.Entry<String, Object> e : in.entrySet()) {
                if (!out.containsKey(e.getKey())) {
                    Object sub = best == null ? null : patternSchema(best, e.getKey());
                    if (sub == null && best != null && best.get("additionalProperties") instanceof Map<?, ?> ap) {
                        sub = ap;
                    }
                    out.put(e.getKey(), sub == null ? e.getValue() : apply(e.getValue(), sub, depth + 1));
                }
            }
            return out;
        }
        if (instance instanceof List<?> list) {
            Map<String, Object> view = null;
            for (Map<String, Object> v : views) {
                if (v.containsKey("items") || v.containsKey("prefixItems")) {
                    view = v;
                    break;
                }
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object sub = null;
                if (view != null) {
                    if (view.get("prefixItems") instanceof List<?> pre && i < pre.size()) {
                        sub = pre.get(i);
                    } else if (view.get("items") instanceof List<?> tuple) {
                        sub = i < tuple.size() ? tuple.get(i) : view.get("additionalItems");
                    } else {
                        sub = view.get("items");
                    }
                }
                out.add(sub instanceof Map<?, ?> ? apply(list.get(i), sub, depth + 1) : list.get(i));
            }
            return out;
        }
        return instance;
    }

    @SuppressWarnings("unchecked")
    private static Object patternSchema(Map<String, Object> view, String key) {
        if (view.get("patternProperties") instanceof Map<?, ?> pp) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) pp).entrySet()) {
                try {
                    if (java.util.regex.Pattern.compile(e.getKey()).matcher(key).find()) {
                        return e.getValue() instanceof Map<?, ?> ? e.getValue() : null;
                    }
                } catch (java.util.regex.PatternSyntaxException ignored) {
                    // not a Java-compatible pattern: leave this member's value as it is
                }
            }
        }
        return null;
    }

    /** The alternatives a value may match: $ref followed, allOf merged, anyOf/oneOf expanded. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> views(Object schema, int depth) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!(schema instanceof Map<?, ?>) || depth > 16) {
            return out;
        }
        Map<String, Object> m = (Map<String, Object>) schema;
        List<Map<String, Object>> parts = new ArrayList<>();
        if (m.get("$ref") instanceof String ref) {
            Object target = resolve(ref);
            List<Map<String, Object>> t = views(target, depth + 1);
            parts.add(t.isEmpty() ? Map.of() : t.getFirst());
        }
        parts.add(m);
        if (m.get("allOf") instanceof List<?> all) {
            for (Object sub : all) {
                List<Map<String, Object>> v = views(sub, depth + 1);
                if (!v.isEmpty()) {
                    parts.add(v.getFirst());
                }
            }
        }
        Map<String, Object> merged = mergeOrder(parts);
        List<Object> branches = new ArrayList<>();
        if (m.get("anyOf") instanceof List<?> any) {
            branches.addAll(any);
        }
        if (m.get("oneOf") instanceof List<?> one) {
            branches.addAll(one);
        }
        if (branches.isEmpty()) {
            out.add(merged);
        } else {
            for (Object b : branches) {
                for (Map<String, Object> v : views(b, depth + 1)) {
                    out.add(mergeOrder(List.of(merged, v)));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergeOrder(List<Map<String, Object>> parts) {
        Map<String, Object> props = new LinkedHashMap<>();
        Set<Object> required = new LinkedHashSet<>();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> p : parts) {
            if (p.get("properties") instanceof Map<?, ?> pp) {
                ((Map<String, Object>) pp).forEach(props::putIfAbsent);
            }
            if (p.get("required") instanceof List<?> r) {
                required.addAll(r);
            }
            for (String k : List.of("items", "prefixItems", "additionalItems", "additionalProperties",
                    "patternProperties")) {
                if (p.containsKey(k) && !out.containsKey(k)) {
                    out.put(k, p.get(k));
                }
            }
        }
        out.put("properties", props);
        out.put("required", new ArrayList<>(required));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bestObjectView(List<Map<String, Object>> views, Map<String, Object> in) {
        Map<String, Object> best = null;
        int bestScore = Integer.MIN_VALUE;
        for (Map<String, Object> v : views) {
            Map<String, Object> props = (Map<String, Object>) v.get("properties");
            int score = 0;
            for (Map.Entry<String, Object> e : in.entrySet()) {
                Object sub = props.get(e.getKey());
                if (sub != null) {
                    score++;
                    if (sub instanceof Map<?, ?> sm) {
                        String value = dev.llmplatform.structured.json.Json.write(e.getValue());
                        if (sm.containsKey("const") && !dev.llmplatform.structured.json.Json.write(sm.get("const")).equals(value)) {
                            score -= 100;
                        }
                        if (sm.get("enum") instanceof List<?> en && en.stream()
                                .noneMatch(x -> dev.llmplatform.structured.json.Json.write(x).equals(value))) {
                            score -= 100;
                        }
                    }
                } else if (Boolean.FALSE.equals(v.get("additionalProperties"))) {
                    score -= 5;
                }
            }
            for (Object r : (List<Object>) v.get("required")) {
                if (!in.containsKey(r)) {
                    score -= 10;
                }
            }
            if (score > bestScore) {
                best = v;
                bestScore = score;
            }
        }
        return best;
    }

    @SuppressWarnings("unchecked")
    private Object resolve(String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        Object cur = root;
        String pointer = java.net.URLDecoder.decode(ref.substring(1), java.nio.charset.StandardCharsets.UTF_8);
        if (pointer.isEmpty()) {
            return root;
        }
        if (!pointer.startsWith("/")) {
            return null;
        }
        for (String part : pointer.substring(1).split("/", -1)) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (cur instanceof Map<?, ?> map) {
                cur = ((Map<String, Object>) map).get(key);
            } else if (cur instanceof List<?> l && key.matches("\\d+") && Integer.parseInt(key) < l.size()) {
                cur = l.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return cur;
    }
}
