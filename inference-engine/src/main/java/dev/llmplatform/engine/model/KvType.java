package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.GgmlType;
import java.util.Locale;

/**
 * The element type a {@link KvCache} stores keys and values in. F16 is the default: it halves the
 * cache against F32 at an accuracy cost well inside the reference tolerances (llama.cpp's own default).
 * Q8_0 stores blocks of 32 int8 values with one F16 scale each (34 bytes per 32 values, as GGML's
 * Q8_0), about 0.27× of F32; it needs head dimensions that are multiples of 32.
 */
public enum KvType {
    F32(GgmlType.F32),
    F16(GgmlType.F16),
    Q8_0(GgmlType.Q8_0);

    /** The cache type used when none is asked for. */
    public static final KvType DEFAULT = F16;

    private final GgmlType ggmlType;

    KvType(GgmlType ggmlType) {
        this.ggmlType = ggmlType;
    }

    /** The GGML type with the same storage per element (for memory estimates such as {@code GgufSummary}). */
    public GgmlType ggmlType() {
        return ggmlType;
    }

    /** Bytes one row of {@code elements} values takes in this type. */
    public long rowBytes(int elements) {
        return (long) elements * ggmlType.typeSize() / ggmlType.blockSize();
    }

    /** Parses {@code f32}, {@code f16} or {@code q8_0} (any case). */
    public static KvType parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (KvType t : values()) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown KV cache type '" + name + "': expected f16, q8_0 or f32");
    }
}
