package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * SIMD kernels for super-block types (K-quants), in two steps per 256-element block: decode the block
 * into a per-thread float buffer with vector operations, then multiply the buffer with the input(s).
 * Splitting at a float array (not at vector values, which C2 would have to box across a call) keeps
 * each compiled method small enough for every vector operation to be inlined and intrinsified; the
 * buffer stays in L1.
 */
abstract class BlockDecodingKernel implements RowKernel {
    static final int BLOCK = 256;
    private final int blockBytes;
    private final ThreadLocal<float[]> buffers = ThreadLocal.withInitial(() -> new float[BLOCK]);

    BlockDecodingKernel(int blockBytes) {
        this.blockBytes = blockBytes;
    }

    /** Decodes the block at byte {@code offset} into {@code out[0..256)}. */
    abstract void decode(MemorySegment w, long offset, float[] out);

    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        float[] buf = buffers.get();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        long off = from / BLOCK * blockBytes;
        for (int c = 0; c < cols; c += BLOCK, off += blockBytes) {
            decode(w, off, buf);
            int xi = xOff + c;
            for (int i = 0; i < BLOCK; i += 2 * L) {
                acc0 = FloatVector.fromArray(F, buf, i).fma(FloatVector.fromArray(F, x, xi + i), acc0);
                acc1 = FloatVector.fromArray(F, buf, i + L).fma(FloatVector.fromArray(F, x, xi + i + L), acc1);
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                     float[] out, int outOff, int outStride) {
        float[] buf = buffers.get();
        // Two accumulators per input (eight chains): an FMA's latency is four times its issue interval,
        // so four chains would leave the FMA units half idle.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        FloatVector acc4 = FloatVector.zero(F);
        FloatVector acc5 = FloatVector.zero(F);
        FloatVector acc6 = FloatVector.zero(F);
        FloatVector acc7 = FloatVector.zero(F);
        int x1 = xOff + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        long off = from / BLOCK * blockBytes;
        for (int c = 0; c < cols; c += BLOCK, off += blockBytes) {
            decode(w, off, buf);
            for (int i = 0; i < BLOCK; i += 2 * L) {
                FloatVector wa = FloatVector.fromArray(F, buf, i);
                FloatVector wb = FloatVector.fromArray(F, buf, i + L);
                int e = c + i;
                acc0 = wa.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                acc1 = wa.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                acc2 = wa.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                acc3 = wa.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
                e += L;
                acc4 = wb.fma(FloatVector.fromArray(F, x, xOff + e), acc4);
                acc5 = wb.fma(FloatVector.fromArray(F, x, x1 + e), acc5);
                acc6 = wb.fma(FloatVector.fromArray(F, x, x2 + e), acc6);
                acc7 = wb.fma(FloatVector.fromArray(F, x, x3 + e), acc7);
            }
        }
        out[outOff] = acc0.add(acc4).reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = acc1.add(acc5).reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = acc2.add(acc6).reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = acc3.add(acc7).reduceLanes(VectorOperators.ADD);
    }
}
