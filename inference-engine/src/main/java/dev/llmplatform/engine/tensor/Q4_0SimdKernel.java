package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
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

    private static IntVector quantBytes(MemorySegment w, long offset) {
        return Simd.bytesToInts(ByteVector.fromMemorySegment(B, w, offset, LE));
    }

    private static FloatVector low(IntVector q) {
        return Simd.intsToFloats(q.and(0xF));
    }

    private static FloatVector high(IntVector q) {
        return Simd.intsToFloats(q.lanewise(VectorOperators.LSHR, 4).and(0xF));
    }

    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector mv = FloatVector.broadcast(F, -8 * d);
            for (int i = 0; i < 16; i += L) {
                IntVector q = quantBytes(w, off + 2 + i);
                acc0 = low(q).fma(dv, mv).fma(FloatVector.fromArray(F, x, xOff + c + i), acc0);
                acc1 = high(q).fma(dv, mv).fma(FloatVector.fromArray(F, x, xOff + c + 16 + i), acc1);
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                     float[] out, int outOff, int outStride) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int x1 = xOff + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            FloatVector dv = FloatVector.broadcast(F, d);
            FloatVector mv = FloatVector.broadcast(F, -8 * d);
            for (int i = 0; i < 16; i += L) {
                IntVector q = quantBytes(w, off + 2 + i);
                FloatVector lo = low(q).fma(dv, mv);
                int e = c + i;
                acc0 = lo.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                acc1 = lo.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                acc2 = lo.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                acc3 = lo.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
                FloatVector hi = high(q).fma(dv, mv);
                e += 16;
                acc0 = hi.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                acc1 = hi.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                acc2 = hi.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                acc3 = hi.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
            }
        }
        out[outOff] = acc0.reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = acc1.reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = acc2.reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = acc3.reduceLanes(VectorOperators.ADD);
    }
}
