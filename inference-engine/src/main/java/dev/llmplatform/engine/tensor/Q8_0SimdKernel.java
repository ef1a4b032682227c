package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.L;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0 with the Vector API: each L-byte slice of a block's quants is sign-extended and converted to L
 * floats in one step. (Here and in the other SIMD kernels vector expressions are written out in place:
 * a helper method returning a vector that C2 declines to inline makes it box every vector, ten times
 * slower.) The dot product multiplies by the block scale once per block; {@link #dot4}
 * scales the decoded weights once and reuses them for four inputs.
 */
final class Q8_0SimdKernel implements RowKernel {
    private static final int BLOCK = 32;
    private static final int BYTES = 34;


    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        long off = from / BLOCK * BYTES;
        int blocks = cols / BLOCK;
        int b = 0;
        // Two blocks per iteration into separate accumulators, to overlap the FMA latency chains.
        for (; b + 1 < blocks; b += 2, off += 2 * BYTES) {
            int xi = xOff + b * BLOCK;
            FloatVector s0 = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + 2, LE).castShape(F, 0)).mul(FloatVector.fromArray(F, x, xi));
            FloatVector s1 = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + BYTES + 2, LE).castShape(F, 0)).mul(FloatVector.fromArray(F, x, xi + BLOCK));
            for (int i = L; i < BLOCK; i += L) {
                s0 = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + 2 + i, LE).castShape(F, 0)).fma(FloatVector.fromArray(F, x, xi + i), s0);
                s1 = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + BYTES + 2 + i, LE).castShape(F, 0)).fma(FloatVector.fromArray(F, x, xi + BLOCK + i), s1);
            }
            acc0 = s0.fma(FloatVector.broadcast(F, Layouts.f16(w, off)), acc0);
            acc1 = s1.fma(FloatVector.broadcast(F, Layouts.f16(w, off + BYTES)), acc1);
        }
        for (; b < blocks; b++, off += BYTES) {
            int xi = xOff + b * BLOCK;
            FloatVector s = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + 2, LE).castShape(F, 0)).mul(FloatVector.fromArray(F, x, xi));
            for (int i = L; i < BLOCK; i += L) {
                s = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + 2 + i, LE).castShape(F, 0)).fma(FloatVector.fromArray(F, x, xi + i), s);
            }
            acc0 = s.fma(FloatVector.broadcast(F, Layouts.f16(w, off)), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                     float[] out, int outOff, int outStride) {
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
        long off = from / BLOCK * BYTES;
        int x1 = xOff + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            for (int i = 0; i < BLOCK; i += 2 * L) {
                FloatVector wa = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + 2 + i, LE).castShape(F, 0)).mul(d);
                FloatVector wb = ((FloatVector) ByteVector.fromMemorySegment(B, w, off + 2 + i + L, LE).castShape(F, 0)).mul(d);
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
