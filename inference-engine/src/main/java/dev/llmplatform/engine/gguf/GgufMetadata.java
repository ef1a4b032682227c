package dev.llmplatform.engine.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The key/value metadata of a GGUF file, in file order, with typed accessors. */
public final class GgufMetadata {
    private final Map<String, GgufValue> entries;

    public GgufMetadata(Map<String, GgufValue> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Map<String, GgufValue> entries() {
        return entries;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Optional<String> string(String key) {
        return get(key).map(v -> as(key, v, String.class));
    }

    public String requireString(String key) {
        return string(key).orElseThrow(() -> missing(key));
    }

    public Optional<Long> integer(String key) {
        return get(key).map(v -> {
            if (v.value() instanceof Integer i) {
                return i.longValue();
            }
            return as(key, v, Long.class);
        });
    }

    public long requireInteger(String key) {
        return integer(key).orElseThrow(() -> missing(key));
    }

    public int intOr(String key, int fallback) {
        return integer(key).map(Math::toIntExact).orElse(fallback);
    }

    /** A floating-point value; integer values are accepted too. */
    public Optional<Double> number(String key) {
        return get(key).map(v -> {
            if (v.value() instanceof Number n && !(v.value() instanceof Long && v.type() == GgufValueType.UINT64)) {
                return n.doubleValue();
            }
            return as(key, v, Number.class).doubleValue();
        });
    }

    public float floatOr(String key, float fallback) {
        return number(key).map(Double::floatValue).orElse(fallback);
    }

    public Optional<Boolean> bool(String key) {
        return get(key).map(v -> as(key, v, Boolean.class));
    }

    public boolean boolOr(String key, boolean fallback) {
        return bool(key).orElse(fallback);
    }

    public Optional<String[]> strings(String key) {
        return get(key).map(v -> as(key, v, String[].class));
    }

    public Optional<float[]> floats(String key) {
        return get(key).map(v -> as(key, v, float[].class));
    }

    /** An integer array of any integer element type, narrowed to int. */
    public Optional<int[]> ints(String key) {
        return get(key).map(v -> switch (v.value()) {
            case int[] a -> a;
            case long[] a -> {
                int[] out = new int[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = Math.toIntExact(a[i]);
                }
                yield out;
            }
            default -> throw wrongType(key, v, "an integer array");
        });
    }

    private static <T> T as(String key, GgufValue v, Class<T> type) {
        if (!type.isInstance(v.value())) {
            throw wrongType(key, v, type.getSimpleName());
        }
        return type.cast(v.value());
    }

    private static GgufException wrongType(String key, GgufValue v, String wanted) {
        return new GgufException("metadata key '" + key + "' is " + v.type()
                + (v.elementType() != null ? " of " + v.elementType() : "") + ", expected " + wanted);
    }

    private static GgufException missing(String key) {
        return new GgufException("metadata key '" + key + "' is missing");
    }
}
