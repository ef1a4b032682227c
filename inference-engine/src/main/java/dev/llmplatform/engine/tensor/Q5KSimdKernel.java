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
 * Q5_K with the Vector API: Q4_K's layout (same packed scales and mins, same nibble order) plus
 * {@code qh[32]}, whose bit {@code s} of byte {@code l} is the fifth bit of element {@code 32·s + l}.
 * So one load of {@code qh[l..l+L)} serves all eight sub-blocks; each 64-element chunk takes its two
 * bits from it and its nibbles from one load of {@code qs}, decoded as {@code q·(d·scale) + (−dmin·min)}.
 */
final class Q5KSimdKernel extends BlockDecodingKernel {
    private static final int SCALES = 4;
    private static final int QH = 16;
    private static final int QS = 48;

    Q5KSimdKernel() {
        super(GgmlType.Q5_K.typeSize());
    }

    @Override
    void decode(MemorySegment w, long off, float[] out) {
        float d = Layouts.f16(w, off);
        float dmin = Layouts.f16(w, off + 2);
        int u0 = w.get(Layouts.INT, off + SCALES);
        int u1 = w.get(Layouts.INT, off + SCALES + 4);
        int u2 = w.get(Layouts.INT, off + SCALES + 8);
        // The scale/min packing is Q4_K's; see there.
        int s03 = Q4KSimdKernel.scales03(u0);
        int m03 = Q4KSimdKernel.mins03(u1);
        int s47 = Q4KSimdKernel.scales47(u0, u2);
        int m47 = Q4KSimdKernel.mins47(u1, u2);
        for (int chunk = 0; chunk < 4; chunk++) {
            int sw = chunk < 2 ? s03 : s47;
            int mw = chunk < 2 ? m03 : m47;
            int j = 2 * (chunk & 1);
            float dl0 = d * Q4KSimdKernel.lane(sw, j);
            float ml0 = -dmin * Q4KSimdKernel.lane(mw, j);
            float dl1 = d * Q4KSimdKernel.lane(sw, j + 1);
            float ml1 = -dmin * Q4KSimdKernel.lane(mw, j + 1);
            for (int l = 0; l < 32; l += L) {
                decodeSlice(w, off + QS + 32 * chunk + l, off + QH + l, 2 * chunk, dl0, ml0, dl1, ml1, out, 64 * chunk + l);
            }
        }
    }

    /**
     * Elements {@code y..y+L} (sub-block {@code sub}: low nibbles, qh bit {@code sub}) and
     * {@code y+32..y+32+L} (sub-block {@code sub+1}: high nibbles, qh bit {@code sub+1}). One slice per
     * call keeps the method within C2's inlining budget.
     */
    private static void decodeSlice(MemorySegment w, long qs, long qh, int sub, float dl0, float ml0,
                                    float dl1, float ml1, float[] out, int y) {
        IntVector q = (IntVector) ByteVector.fromMemorySegment(B, w, qs, LE).castShape(I, 0);
        IntVector h = ((IntVector) ByteVector.fromMemorySegment(B, w, qh, LE).castShape(I, 0)).lanewise(VectorOperators.LSHR, sub);
        // Bit 0 of h is the fifth bit of the low sub-block, bit 1 that of the high one; each moves to bit 4.
        IntVector lo = q.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x10));
        IntVector hi = q.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.lanewise(VectorOperators.LSHL, 3).and(0x10));
        ((FloatVector) lo.castShape(F, 0)).fma(dl0, ml0).intoArray(out, y);
        ((FloatVector) hi.castShape(F, 0)).fma(dl1, ml1).intoArray(out, y + 32);
    }
}
