package dev.llmplatform.engine.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One metadata value with the type it has (or will have) on disk.
 *
 * <p>Java representation: 8/16-bit and INT32 scalars are {@link Integer}, UINT32/INT64/UINT64 are
 * {@link Long} (UINT64 above 2^63 wraps), FLOAT32 is {@link Float}, FLOAT64 {@link Double}, BOOL
 * {@link Boolean}, STRING {@link String}. Arrays hold {@code int[]} (8/16/32-bit signed and 8/16-bit
 * unsigned elements), {@code long[]} (UINT32, 64-bit), {@code float[]}, {@code double[]},
 * {@code boolean[]}, {@code String[]}, or, for nested arrays, a {@code List<GgufValue>}.
 *
 * @param type        the value's type
 * @param elementType for arrays the element type, otherwise {@code null}
 * @param value       the Java value as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {
    public GgufValue {
        Objects.requireNonNull(type);
        Objects.requireNonNull(value);
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType is required for arrays and only for arrays");
        }
    }

    public static GgufValue of(String s) {
        return new GgufValue(GgufValueType.STRING, null, s);
    }

    public static GgufValue ofUint32(long v) {
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    public static GgufValue ofInt32(int v) {
        return new GgufValue(GgufValueType.INT32, null, v);
    }

    public static GgufValue of(float v) {
        return new GgufValue(GgufValueType.FLOAT32, null, v);
    }

    public static GgufValue of(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue of(String[] v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, v);
    }

    public static GgufValue of(float[] v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.FLOAT32, v);
    }

    public static GgufValue ofInt32(int[] v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, v);
    }

    public static GgufValue ofArrays(GgufValueType elementType, List<GgufValue> nested) {
        if (elementType != GgufValueType.ARRAY) {
            throw new IllegalArgumentException("nested arrays have element type ARRAY");
        }
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.ARRAY, List.copyOf(nested));
    }

    @Override
    public String toString() {
        return switch (value) {
            case int[] a -> "int[" + a.length + "]";
            case long[] a -> "long[" + a.length + "]";
            case float[] a -> "float[" + a.length + "]";
            case double[] a -> "double[" + a.length + "]";
            case boolean[] a -> "boolean[" + a.length + "]";
            case String[] a -> "string[" + a.length + "]";
            case List<?> l -> "array[" + l.size() + "]";
            default -> String.valueOf(value);
        };
    }
}
