package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The arithmetic of one {@link GgmlType} over its block layout in memory. Element indices are in
 * elements (not bytes) from the start of {@code data}; {@code from} and {@code n} are multiples of the
 * type's block size.
 */
public interface TypeKernel {
    GgmlType type();

    /** Writes elements {@code [from, from+n)} of {@code data} as floats into {@code out[outOff..]}. */
    void dequantize(MemorySegment data, long from, float[] out, int outOff, int n);

    /** Σ data[from+i] · x[xOff+i] for i in [0, n). */
    float dot(MemorySegment data, long from, float[] x, int xOff, int n);
}
