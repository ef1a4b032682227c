package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.I;
import static dev.llmplatform.engine.tensor.Simd.L;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_0 with the Vector API: Q4_0's nibble layout (an L-byte slice holds elements {@code i..i+L} in its
 * low nibbles and {@code 16+i..} in its high ones) plus a 32-bit {@code qh} whose bit {@code e} is the
 * fifth bit of element {@code e}. Those bits reach their lanes by a per-lane shift of the broadcast word
 * by the lane index; {@code d·(q − 16)} is one FMA: {@code q·d + (−16d)}.
 *
 * <p>The bit extraction is written out in both loops on purpose: as a small helper method returning a
 * vector, C2 compiled it on its own and did not inline it into the dot loop (vectors crossing a call
 * are boxed), and the one-input dot ran at scalar speed (1 GFLOP/s instead of 23 per CPU-second, AVX-512).
 */
final class Q5_0SimdKernel implements RowKernel {
    private static final int BLOCK = 32;
    private static final int BYTES = 22;
    private static final int QH = 2;
    private static final int QS = 6;
    /** Element {@code k} is {@code k}: the shift that brings bit {@code k} of a word to bit 0 of lane k. */
    private static final int[] LANE_INDEX = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        IntVector lanes = IntVector.fromArray(I, LANE_INDEX, 0);
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector mv = FloatVector.broadcast(F, -16 * d);
            int qh = w.get(Layouts.INT, off + QH);
            for (int i = 0; i < 16; i += L) {
                IntVector q = (IntVector) ByteVector.fromMemorySegment(B, w, off + QS + i, LE).castShape(I, 0);
                IntVector hLo = IntVector.broadcast(I, qh >>> i).lanewise(VectorOperators.LSHR, lanes).and(1);
                IntVector hHi = IntVector.broadcast(I, qh >>> (16 + i)).lanewise(VectorOperators.LSHR, lanes).and(1);
                IntVector qLo = q.and(0xF).or(hLo.lanewise(VectorOperators.LSHL, 4));
                IntVector qHi = q.lanewise(VectorOperators.LSHR, 4).and(0xF).or(hHi.lanewise(VectorOperators.LSHL, 4));
                FloatVector lo = ((FloatVector) qLo.castShape(F, 0)).fma(dv, mv);
                FloatVector hi = ((FloatVector) qHi.castShape(F, 0)).fma(dv, mv);
                acc0 = lo.fma(FloatVector.fromArray(F, x, xOff + c + i), acc0);
                acc1 = hi.fma(FloatVector.fromArray(F, x, xOff + c + 16 + i), acc1);
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                     float[] out, int outOff, int outStride) {
        // Two accumulators per input (eight chains), as in Q4_0SimdKernel.
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
        IntVector lanes = IntVector.fromArray(I, LANE_INDEX, 0);
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector mv = FloatVector.broadcast(F, -16 * d);
            int qh = w.get(Layouts.INT, off + QH);
            for (int i = 0; i < 16; i += L) {
                IntVector q = (IntVector) ByteVector.fromMemorySegment(B, w, off + QS + i, LE).castShape(I, 0);
                IntVector hLo = IntVector.broadcast(I, qh >>> i).lanewise(VectorOperators.LSHR, lanes).and(1);
                IntVector hHi = IntVector.broadcast(I, qh >>> (16 + i)).lanewise(VectorOperators.LSHR, lanes).and(1);
                IntVector qLo = q.and(0xF).or(hLo.lanewise(VectorOperators.LSHL, 4));
                IntVector qHi = q.lanewise(VectorOperators.LSHR, 4).and(0xF).or(hHi.lanewise(VectorOperators.LSHL, 4));
                FloatVector lo = ((FloatVector) qLo.castShape(F, 0)).fma(dv, mv);
                int e = c + i;
                acc0 = lo.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                acc1 = lo.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                acc2 = lo.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                acc3 = lo.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
                FloatVector hi = ((FloatVector) qHi.castShape(F, 0)).fma(dv, mv);
                e += 16;
                acc4 = hi.fma(FloatVector.fromArray(F, x, xOff + e), acc4);
                acc5 = hi.fma(FloatVector.fromArray(F, x, x1 + e), acc5);
                acc6 = hi.fma(FloatVector.fromArray(F, x, x2 + e), acc6);
                acc7 = hi.fma(FloatVector.fromArray(F, x, x3 + e), acc7);
            }
        }
        out[outOff] = acc0.add(acc4).reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = acc1.add(acc5).reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = acc2.add(acc6).reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = acc3.add(acc7).reduceLanes(VectorOperators.ADD);
    }
}
