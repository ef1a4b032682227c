package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Row-level arithmetic for {@link WeightMatrix}: one weight row against one input vector, or against
 * four at once so that a row's blocks are decoded once and used four times (prompt processing).
 * Element indices, as in {@link TypeKernel}; {@code from} is the row's first element.
 */
interface RowKernel {
    float dot(MemorySegment w, long from, float[] x, int xOff, int cols);

    /**
     * {@code out[outOff + i·outStride] = W[from..from+cols) · x[xOff + i·xStride ..]} for i in 0..3.
     */
    void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
              float[] out, int outOff, int outStride);

    /**
     * Two rows (starting at elements {@code fromA} and {@code fromB}) against one input: {@code out[outA]}
     * and {@code out[outB]}. A kernel whose decode speed is bound by memory overrides this to walk both
     * rows in lockstep: two independent streams keep more cache misses in flight (Q8_0 on a
     * DRAM-resident matrix: 1.6× on one thread). Compute-bound kernels (Q4_0) gain nothing and keep the
     * default.
     */
    default void dot2(MemorySegment w, long fromA, long fromB, float[] x, int cols, float[] out, int outA, int outB) {
        out[outA] = dot(w, fromA, x, 0, cols);
        out[outB] = dot(w, fromB, x, 0, cols);
    }

    /** The plain kernel of a type, one input at a time. */
    static RowKernel of(TypeKernel kernel) {
        return new RowKernel() {
            @Override
            public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
                return kernel.dot(w, from, x, xOff, cols);
            }

            @Override
            public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                             float[] out, int outOff, int outStride) {
                for (int i = 0; i < 4; i++) {
                    out[outOff + i * outStride] = kernel.dot(w, from, x, xOff + i * xStride, cols);
                }
            }
        };
    }
}
