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
