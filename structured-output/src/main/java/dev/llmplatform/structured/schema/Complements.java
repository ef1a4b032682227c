package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.json.Json.JsonNumber;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complement of a one-keyword schema ({@code not {k: v}}) as alternatives whose union is exactly the
 * values failing it, written with keywords the grammar enforces. A keyword about one type holds for
 * every value of the other types, so only values of its type can fail it: {@code not {minimum: x}} is
 * a number below x, {@code not {minItems: n}} an array of at most n-1 items, {@code not {pattern: p}} a
 * string not matching p ({@link StringRules#NOT_PATTERNS}), {@code not {properties: {k: S}}} an object
 * having k with a value failing S (one alternative per property), {@code not {propertyNames: {not:
 * {enum: E}}}} an object having a member named in E, {@code not {contains: C}} an array whose items
 * all fail C, {@code not {items: S}} an array with an item failing S. {@code not {not S}} is S. Other keywords: null
 * (the caller reports the {@code not}).
 */
final class Complements {
    private Complements() {
    }

    @SuppressWarnings("unchecked")
    static List<Object> of(String keyword, Object value) {
        return switch (keyword) {
            case "not" -> List.of(value);
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" ->
                    value instanceof JsonNumber ? typedOpposite("number", opposite(keyword), value) : null;
            case "minItems" -> lengthBound("array", "maxItems", value, -1);
            case "maxItems" -> lengthBound("array", "minItems", value, 1);
            case "minLength" -> lengthBound("string", "maxLength", value, -1);
            case "maxLength" -> lengthBound("string", "minLength", value, 1);
            case "minProperties" -> lengthBound("object", "maxProperties", value, -1);
            case "maxProperties" -> lengthBound("object", "minProperties", value, 1);
            case "pattern" -> value instanceof String p
                    ? typedOpposite("string", StringRules.NOT_PATTERNS, List.of(p)) : null;
            case "properties" -> {
                List<Object> alts = new ArrayList<>(); // non-objects satisfy "properties": only objects fail it
                for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                    Map<String, Object> alt = new LinkedHashMap<>();
                    alt.put("type", "object");
                    alt.put("required", List.of(e.getKey()));
                    alt.put("properties", Map.of(e.getKey(), Map.of("not", e.getValue())));
                    alts.add(alt);
                }
                yield alts;
            }
            case "propertyNames" -> somePropertyNamed(value);
            // no item matches / some item fails (items as one schema, not a draft-7 tuple)
            case "contains" -> List.of(Map.of("type", "array", "items", Map.of("not", value)));
            case "items" -> value instanceof List<?> ? null
                    : List.of(Map.of("type", "array", "contains", Map.of("not", value)));
            default -> null;
        };
    }

    /**
     * {@code not {propertyNames: {not: {enum: E}}}}: some member name is in E, i.e. one of them is
     * present; {@code not {propertyNames: false}}: some member at all. Null for other forms.
     */
    @SuppressWarnings("unchecked")
    private static List<Object> somePropertyNamed(Object value) {
        if (Boolean.FALSE.equals(value)) {
            return List.of(Map.of("type", "object", "minProperties", new JsonNumber("1")));
        }
        if (!(value instanceof Map<?, ?> m) || m.size() != 1 || !(m.get("not") instanceof Map<?, ?> n) || n.size() != 1) {
            return null;
        }
        List<Object> names = n.containsKey("const") ? List.of(n.get("const"))
                : n.get("enum") instanceof List<?> e ? (List<Object>) e : null;
        if (names == null) {
            return null;
        }
        List<Object> alts = new ArrayList<>();
        for (Object name : names) {
            if (name instanceof String s) {
                alts.add(Map.of("type", "object", "required", List.of(s)));
            }
        }
        return alts;
    }

    private static String opposite(String bound) {
        return switch (bound) {
            case "minimum" -> "exclusiveMaximum";
            case "maximum" -> "exclusiveMinimum";
            case "exclusiveMinimum" -> "maximum";
            default -> "minimum";
        };
    }

    /** Values of {@code type} with {@code keyword: value} (values of other types satisfy the negated keyword). */
    private static List<Object> typedOpposite(String type, String keyword, Object value) {
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("type", type);
        same.put(keyword, value);
        return List.of(same);
    }

    /** {@code not {minItems: n}} is "not an array, or at most n-1 items" (and so on for the other counts). */
    private static List<Object> lengthBound(String type, String opposite, Object value, int shift) {
        Integer n = NumberRules.intValue(value);
        if (n == null) {
            return null;
        }
        long bound = (long) n + shift;
        if (bound < 0) {
            return List.of(); // not {minItems: 0}: nothing
        }
        return typedOpposite(type, opposite, new JsonNumber(BigDecimal.valueOf(bound).toPlainString()));
    }
}
