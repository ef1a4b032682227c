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
 * Q6_K with the Vector API. For each {@code l}-slice of a 128-element half, one load each of
 * {@code ql[l..]}, {@code ql[32+l..]} and {@code qh[l..]} yields the quants of four sub-blocks
 * (elements {@code l, 32+l, 64+l, 96+l}); each is decoded as {@code q·(d·scale) + (−32·d·scale)}.
 * The slice width L (8 or 16) never crosses a 16-element sub-block, so one scale covers a vector.
 */
final class Q6KSimdKernel implements RowKernel {
    private static final int BLOCK = 256;
    private static final int BYTES = 210;

    private static IntVector bytes(MemorySegment w, long offset) {
        return Simd.bytesToInts(ByteVector.fromMemorySegment(B, w, offset, LE));
    }

    /** Low nibble | two high bits already in place (bits 4-5). */
    private static FloatVector quant(IntVector nibbles, IntVector highBits) {
        return Simd.intsToFloats(nibbles.and(0xF).or(highBits.and(0x30)));
    }

    private static FloatVector scale(MemorySegment w, long offset, float d) {
        return FloatVector.broadcast(F, d * w.get(Layouts.BYTE, offset));
    }

    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        long off = from / BLOCK * BYTES;
        for (int c = 0; c < cols; c += BLOCK, off += BYTES) {
            float d = Layouts.f16(w, off + Q6KKernel.D);
            for (int half = 0; half < 2; half++) {
                long ql = off + Q6KKernel.QL + 64 * half;
                long qh = off + Q6KKernel.QH + 32 * half;
                long sc = off + Q6KKernel.SCALES + 8 * half;
                int e = xOff + c + 128 * half;
                for (int l = 0; l < 32; l += L) {
                    IntVector lo = bytes(w, ql + l);
                    IntVector hi = bytes(w, ql + 32 + l);
                    IntVector h = bytes(w, qh + l);
                    int is = l / 16;
                    FloatVector s1 = scale(w, sc + is, d);
                    FloatVector s2 = scale(w, sc + is + 2, d);
                    FloatVector s3 = scale(w, sc + is + 4, d);
                    FloatVector s4 = scale(w, sc + is + 6, d);
                    FloatVector w1 = quant(lo, h.lanewise(VectorOperators.LSHL, 4)).sub(32).mul(s1);
                    FloatVector w2 = quant(hi, h.lanewise(VectorOperators.LSHL, 2)).sub(32).mul(s2);
                    FloatVector w3 = quant(lo.lanewise(VectorOperators.LSHR, 4), h).sub(32).mul(s3);
                    FloatVector w4 = quant(hi.lanewise(VectorOperators.LSHR, 4), h.lanewise(VectorOperators.LSHR, 2)).sub(32).mul(s4);
                    acc0 = w1.fma(FloatVector.fromArray(F, x, e + l), acc0);
                    acc1 = w2.fma(FloatVector.fromArray(F, x, e + 32 + l), acc1);
                    acc0 = w3.fma(FloatVector.fromArray(F, x, e + 64 + l), acc0);
                    acc1 = w4.fma(FloatVector.fromArray(F, x, e + 96 + l), acc1);
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
            float d = Layouts.f16(w, off + Q6KKernel.D);
            for (int half = 0; half < 2; half++) {
                long ql = off + Q6KKernel.QL + 64 * half;
                long qh = off + Q6KKernel.QH + 32 * half;
                long sc = off + Q6KKernel.SCALES + 8 * half;
                for (int l = 0; l < 32; l += L) {
                    IntVector lo = bytes(w, ql + l);
                    IntVector hi = bytes(w, ql + 32 + l);
                    IntVector h = bytes(w, qh + l);
                    int is = l / 16;
                    for (int quarter = 0; quarter < 4; quarter++) {
                        FloatVector wv = switch (quarter) {
                            case 0 -> quant(lo, h.lanewise(VectorOperators.LSHL, 4));
                            case 1 -> quant(hi, h.lanewise(VectorOperators.LSHL, 2));
                            case 2 -> quant(lo.lanewise(VectorOperators.LSHR, 4), h);
                            default -> quant(hi.lanewise(VectorOperators.LSHR, 4), h.lanewise(VectorOperators.LSHR, 2));
                        };
                        wv = wv.sub(32).mul(scale(w, sc + is + 2 * quarter, d));
                        int e = c + 128 * half + 32 * quarter + l;
                        acc0 = wv.fma(FloatVector.fromArray(F, x, xOff + e), acc0);
                        acc1 = wv.fma(FloatVector.fromArray(F, x, x1 + e), acc1);
                        acc2 = wv.fma(FloatVector.fromArray(F, x, x2 + e), acc2);
                        acc3 = wv.fma(FloatVector.fromArray(F, x, x3 + e), acc3);
                    }
                }
            }
        }
        out[outOff] = acc0.reduceLanes(VectorOperators.ADD);
        out[outOff + outStride] = acc1.reduceLanes(VectorOperators.ADD);
        out[outOff + 2 * outStride] = acc2.reduceLanes(VectorOperators.ADD);
        out[outOff + 3 * outStride] = acc3.reduceLanes(VectorOperators.ADD);
    }
}
