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
 * Q6_K with the Vector API. For each {@code l}-slice of a 128-element half, one load each of
 * {@code ql[l..]}, {@code ql[32+l..]} and {@code qh[l..]} yields the quants of four sub-blocks
 * (elements {@code l, 32+l, 64+l, 96+l}), decoded as {@code (q − 32)·(d·scale)}. The slice width L
 * (8 or 16) never crosses a 16-element sub-block, so one scale covers a vector.
 */
final class Q6KSimdKernel extends BlockDecodingKernel {
    Q6KSimdKernel() {
        super(GgmlType.Q6_K.typeSize());
    }


    @Override
    void decode(MemorySegment w, long off, float[] out) {
        float d = Layouts.f16(w, off + Q6KKernel.D);
        for (int half = 0; half < 2; half++) {
            for (int l = 0; l < 32; l += L) {
                decodeSlice(w, off + Q6KKernel.QL + 64 * half + l, off + Q6KKernel.QH + 32 * half + l,
                        off + Q6KKernel.SCALES + 8 * half + l / 16, d, out, 128 * half + l);
            }
        }
    }

    /**
     * Elements {@code y, y+32, y+64, y+96} (L each) from {@code ql[l..]}, {@code ql[32+l..]}, {@code qh[l..]}.
     * One slice per call keeps the method within C2's inlining budget.
     */
    private static void decodeSlice(MemorySegment w, long ql, long qh, long scales, float d, float[] out, int y) {
        IntVector lo = (IntVector) ByteVector.fromMemorySegment(B, w, ql, LE).castShape(I, 0);
        IntVector hi = (IntVector) ByteVector.fromMemorySegment(B, w, ql + 32, LE).castShape(I, 0);
        IntVector h = (IntVector) ByteVector.fromMemorySegment(B, w, qh, LE).castShape(I, 0);
        // Bits 4-5 of each quant come from qh bits 0-1, 2-3, 4-5, 6-7 for the four quarters.
        IntVector q0 = lo.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30));
        IntVector q1 = hi.and(0xF).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30));
        IntVector q2 = lo.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.and(0x30));
        IntVector q3 = hi.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30));
        ((FloatVector) q0.sub(32).castShape(F, 0)).mul(d * w.get(Layouts.BYTE, scales)).intoArray(out, y);
        ((FloatVector) q1.sub(32).castShape(F, 0)).mul(d * w.get(Layouts.BYTE, scales + 2)).intoArray(out, y + 32);
        ((FloatVector) q2.sub(32).castShape(F, 0)).mul(d * w.get(Layouts.BYTE, scales + 4)).intoArray(out, y + 64);
        ((FloatVector) q3.sub(32).castShape(F, 0)).mul(d * w.get(Layouts.BYTE, scales + 6)).intoArray(out, y + 96);
    }
}
