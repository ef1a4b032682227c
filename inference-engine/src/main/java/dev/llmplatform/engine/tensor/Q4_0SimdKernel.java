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
 * Q4_0 with the Vector API. An L-byte slice of the 16 quant bytes holds L low nibbles (elements
 * {@code i..i+L}) and L high nibbles (elements {@code 16+i..}); the nibbles are split on int lanes,
 * where x86 has shifts (it has none on bytes), and {@code d·(q − 8)} is one FMA: {@code q·d + (−8d)}.
 */
final class Q4_0SimdKernel implements RowKernel {
    private static final int BLOCK = 32;
    private static final int BYTES = 18;


    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc = FloatVector.zero(F);
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < 16; i += L) {
                IntVector q = (IntVector) ByteVector.fromMemorySegment(B, w, off + 2 + i, LE).castShape(I, 0);
                s = ((FloatVector) q.and(0xF).sub(8).castShape(F, 0)).fma(FloatVector.fromArray(F, x, xOff + c + i), s);
                s = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).sub(8).castShape(F, 0))
                        .fma(FloatVector.fromArray(F, x, xOff + c + 16 + i), s);
            }
            acc = s.fma(FloatVector.broadcast(F, Layouts.f16(w, off)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
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
        int x1 = xOff + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector mv = FloatVector.broadcast(F, -8 * d);
            for (int i = 0; i < 16; i += L) {
                IntVector q = (IntVector) ByteVector.fromMemorySegment(B, w, off + 2 + i, LE).castShape(I, 0);
                FloatVector lo = ((FloatVector) q.and(0xF).castShape(F, 0)).fma(dv, mv);
                int e = c + i;
                acc0 = lo.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                acc1 = lo.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                acc2 = lo.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                acc3 = lo.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
                FloatVector hi = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).castShape(F, 0)).fma(dv, mv);
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
