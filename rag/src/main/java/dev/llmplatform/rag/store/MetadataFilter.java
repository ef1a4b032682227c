package dev.llmplatform.rag.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A condition on chunk metadata. Every chunk carries its document's metadata plus {@code document_id},
 * {@code title}, {@code source} and (for paged formats) {@code page}.
 *
 * <p>The JSON form ({@link #parse}) follows the common vector-store convention:
 * {@code {"lang": "en"}} (equality), {@code {"year": {"$gte": 2020, "$lt": 2024}}} (ranges on numbers),
 * {@code {"tag": {"$in": ["a", "b"]}}}, {@code {"tag": {"$ne": "x"}}}, {@code {"tag": {"$nin": [...]}}},
 * and {@code {"$and": [...]}}, {@code {"$or": [...]}}, {@code {"$not": {...}}}. Several keys in one
 * object must all hold. For a list-valued field, equality means "contains".
 */
public sealed interface MetadataFilter {
    record Eq(String field, Object value) implements MetadataFilter {
    }

    record In(String field, List<Object> values) implements MetadataFilter {
    }

    /** Bounds on a numeric field; null bounds are open. */
    record Range(String field, Double gt, Double gte, Double lt, Double lte) implements MetadataFilter {
        /** The smallest value the range admits (exclusive bounds as the next double), or -∞. */
        public double inclusiveLower() {
            double lower = gte != null ? gte : Double.NEGATIVE_INFINITY;
            return gt != null ? Math.max(lower, Math.nextUp(gt)) : lower;
        }

        /** The largest value the range admits (exclusive bounds as the previous double), or +∞. */
        public double inclusiveUpper() {
            double upper = lte != null ? lte : Double.POSITIVE_INFINITY;
            return lt != null ? Math.min(upper, Math.nextDown(lt)) : upper;
        }
    }

    record And(List<MetadataFilter> all) implements MetadataFilter {
    }

    record Or(List<MetadataFilter> any) implements MetadataFilter {
    }

    record Not(MetadataFilter negated) implements MetadataFilter {
    }

    /**
     * Parses the JSON form (as maps, lists and scalars).
     *
     * @throws IllegalArgumentException with a message naming the offending part
     */
    static MetadataFilter parse(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a filter must be a JSON object, got " + describe(json));
        }
        List<MetadataFilter> parts = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            switch (key) {
                case "$and" -> parts.add(new And(parseList(key, value)));
                case "$or" -> parts.add(new Or(parseList(key, value)));
                case "$not" -> parts.add(new Not(parse(value)));
                default -> {
                    if (key.startsWith("$")) {
                        throw new IllegalArgumentException("unknown filter operator '" + key + "'");
                    }
                    parts.add(parseField(key, value));
                }
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a filter object must not be empty");
        }
        return parts.size() == 1 ? parts.getFirst() : new And(parts);
    }

    private static List<MetadataFilter> parseList(String op, Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("'" + op + "' takes a non-empty array of filters");
        }
        List<MetadataFilter> out = new ArrayList<>();
        for (Object item : list) {
            out.add(parse(item));
        }
        return out;
    }

    private static MetadataFilter parseField(String field, Object value) {
        if (!(value instanceof Map<?, ?> ops)) {
            return new Eq(field, scalar(field, value));
        }
        List<MetadataFilter> parts = new ArrayList<>();
        Double gt = null, gte = null, lt = null, lte = null;
        for (Map.Entry<?, ?> e : ops.entrySet()) {
            String op = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (op) {
                case "$eq" -> parts.add(new Eq(field, scalar(field, v)));
                case "$ne" -> parts.add(new Not(new Eq(field, scalar(field, v))));
                case "$in" -> parts.add(new In(field, scalars(field, op, v)));
                case "$nin" -> parts.add(new Not(new In(field, scalars(field, op, v))));
                case "$gt" -> gt = number(field, op, v);
                case "$gte" -> gte = number(field, op, v);
                case "$lt" -> lt = number(field, op, v);
                case "$lte" -> lte = number(field, op, v);
                default -> throw new IllegalArgumentException("unknown operator '" + op + "' on field '" + field + "'");
            }
        }
        if (gt != null || gte != null || lt != null || lte != null) {
            parts.add(new Range(field, gt, gte, lt, lte));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no condition given for field '" + field + "'");
        }
        return parts.size() == 1 ? parts.getFirst() : new And(parts);
    }

    private static Object scalar(String field, Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        throw new IllegalArgumentException("field '" + field + "' must be compared with a string, number or boolean, got "
                + describe(v));
    }

    private static List<Object> scalars(String field, String op, Object v) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("'" + op + "' on field '" + field + "' takes a non-empty array");
        }
        List<Object> out = new ArrayList<>();
        for (Object o : list) {
            out.add(scalar(field, o));
        }
        return out;
    }

    private static Double number(String field, String op, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("'" + op + "' on field '" + field + "' takes a number, got " + describe(v));
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "an array" : "'" + v + "'";
    }
}
