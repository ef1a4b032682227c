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
 * Q4_K with the Vector API. Per super-block the eight 6-bit scales and mins are unpacked once with
 * 32-bit mask arithmetic; each 32-byte chunk of quants then gives two sub-blocks (low and high nibbles),
 * decoded as {@code q·(d·scale) + (−dmin·min)}: one FMA per vector.
 */
final class Q4KSimdKernel implements RowKernel {
    private static final int BLOCK = 256;
    private static final int BYTES = 144;

    // The 12 scale bytes as four words of four 6-bit values each: scales of sub-blocks 0..3, mins of
    // 0..3, scales of 4..7, mins of 4..7. Sub-blocks 0..3 keep theirs in the low 6 bits of bytes 0..3 /
    // 4..7; sub-blocks 4..7 in the nibbles of bytes 8..11 plus the top 2 bits of bytes 0..3 / 4..7.

    static int scales03(int u0) {
        return u0 & 0x3f3f3f3f;
    }

    static int mins03(int u1) {
        return u1 & 0x3f3f3f3f;
    }

    static int scales47(int u0, int u2) {
        return (u2 & 0x0f0f0f0f) | ((u0 >>> 6) & 0x03030303) << 4;
    }

    static int mins47(int u1, int u2) {
        return ((u2 >>> 4) & 0x0f0f0f0f) | ((u1 >>> 6) & 0x03030303) << 4;
    }

    /** Value {@code j} (0..3) of a word of four. */
    static int lane(int word, int j) {
        return (word >>> (8 * j)) & 0xFF;
    }


    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off);
            float dmin = Layouts.f16(w, off + 2);
            int u0 = w.get(Layouts.INT, off + 4);
            int u1 = w.get(Layouts.INT, off + 8);
            int u2 = w.get(Layouts.INT, off + 12);
            int s03 = scales03(u0);
            int m03 = mins03(u1);
            int s47 = scales47(u0, u2);
            int m47 = mins47(u1, u2);
            for (int chunk = 0; chunk < 4; chunk++) {
                int sw = chunk < 2 ? s03 : s47;
                int mw = chunk < 2 ? m03 : m47;
                int j = 2 * (chunk & 1);
                FloatVector dl0 = FloatVector.broadcast(F, d * lane(sw, j));
                FloatVector ml0 = FloatVector.broadcast(F, -dmin * lane(mw, j));
                FloatVector dl1 = FloatVector.broadcast(F, d * lane(sw, j + 1));
                FloatVector ml1 = FloatVector.broadcast(F, -dmin * lane(mw, j + 1));
                int e = xOff + c + 64 * chunk;
                for (int i = 0; i < 32; i += L) {
                    IntVector q = ((IntVector) ByteVector.fromMemorySegment(B, w, off + 16 + 32 * chunk + i, LE).castShape(I, 0));
                    FloatVector lo = ((FloatVector) q.and(0xF).castShape(F, 0)).fma(dl0, ml0);
                    FloatVector hi = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).and(0xF).castShape(F, 0)).fma(dl1, ml1);
                    acc0 = lo.fma(FloatVector.fromArray(F, x, e + i), acc0);
                    acc1 = hi.fma(FloatVector.fromArray(F, x, e + 32 + i), acc1);
                }
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
            float dmin = Layouts.f16(w, off + 2);
            int u0 = w.get(Layouts.INT, off + 4);
            int u1 = w.get(Layouts.INT, off + 8);
            int u2 = w.get(Layouts.INT, off + 12);
            int s03 = scales03(u0);
            int m03 = mins03(u1);
            int s47 = scales47(u0, u2);
            int m47 = mins47(u1, u2);
            for (int sub = 0; sub < 8; sub++) {
                FloatVector dl = FloatVector.broadcast(F, d * lane(sub < 4 ? s03 : s47, sub & 3));
                FloatVector ml = FloatVector.broadcast(F, -dmin * lane(sub < 4 ? m03 : m47, sub & 3));
                int shift = 4 * (sub & 1);
                long q0 = off + 16 + 32 * (sub >> 1);
                for (int i = 0; i < 32; i += L) {
                    IntVector q = ((IntVector) ByteVector.fromMemorySegment(B, w, q0 + i, LE).castShape(I, 0)).lanewise(VectorOperators.LSHR, shift).and(0xF);
                    FloatVector wv = ((FloatVector) q.castShape(F, 0)).fma(dl, ml);
                    int e = c + 32 * sub + i;
                    acc0 = wv.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                    acc1 = wv.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                    acc2 = wv.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                    acc3 = wv.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
                }
            }
        }
        out[outOff] = acc0.reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = acc1.reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = acc2.reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = acc3.reduceLanes(VectorOperators.ADD);
    }
}
