package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.I;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K interleaved. Per row, a super-block of 256 columns has F16 {@code d} and {@code dmin}, eight
 * 6-bit sub-block scales and mins packed into 12 bytes, and 128 quant bytes; the value is
 * {@code d·sc·q − dmin·m}. Here, per group and super-block: the G d's and the G dmin's (as F32), then
 * the scales and the mins unpacked to one byte each (8 slices of G scales, then 8 of G mins: 16 bytes a
 * row where the file has 12, for no bit-unpacking in the kernel), then the quant bytes, byte k of every
 * row together. As in the file, quant byte {@code 32c + l} holds column {@code 64c + l} in its low
 * nibble and {@code 64c + 32 + l} in its high nibble.
 */
final class InterleavedQ4K extends InterleavedMatrix {
    private static final int BLOCK = 256;
    private static final int SUB = 32;
    static final int FILE_BYTES = 144;
    /** Offsets, in units of G bytes, within a group's block. */
    private static final int SCALES_AT = 8;
    private static final int MINS_AT = SCALES_AT + 8;
    private static final int QS_AT = MINS_AT + 8;
    static final int BYTES = QS_AT + 128;

    InterleavedQ4K(int rows, int cols, ComputeResources resources) {
        super(rows, cols, BLOCK, BYTES, resources);
    }

    @Override
    void pack(byte[] src, byte[] dst) {
        MemorySegment scales = MemorySegment.ofArray(src);
        for (int b = 0; b < blocks; b++) {
            int to = (int) (b * groupBlockBytes);
            for (int i = 0; i < G; i++) {
                int from = (i * blocks + b) * FILE_BYTES;
                putFloat(dst, to + 4 * i, f16(src, from + Q4KKernel.D));
                putFloat(dst, to + 4 * G + 4 * i, f16(src, from + Q4KKernel.DMIN));
                for (int j = 0; j < 8; j++) {
                    dst[to + (SCALES_AT + j) * G + i] = (byte) KQuantScales.scale(scales, from + Q4KKernel.SCALES, j);
                    dst[to + (MINS_AT + j) * G + i] = (byte) KQuantScales.min(scales, from + Q4KKernel.SCALES, j);
                }
                for (int k = 0; k < 128; k++) {
                    dst[to + (QS_AT + k) * G + i] = src[from + Q4KKernel.QS + k];
                }
            }
        }
    }

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        int r = groupRows;
        long off = offset(g, b);
        for (int h = 0; h < r; h += G) {
            FloatVector d = scales(packed, off + 4L * h);
            FloatVector dmin = scales(packed, off + 4L * r + 4L * h);
            for (int chunk = 0; chunk < 4; chunk++) {
                // Sub-block 2·chunk in the low nibbles, 2·chunk + 1 in the high ones; value = d·sc·q − dmin·m.
                long sc = off + (long) (SCALES_AT + 2 * chunk) * r + h;
                long mn = off + (long) (MINS_AT + 2 * chunk) * r + h;
                FloatVector kLo = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc, LE).castShape(F, 0)).mul(d);
                FloatVector kHi = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + r, LE).castShape(F, 0)).mul(d);
                FloatVector mLo = ((FloatVector) ByteVector.fromMemorySegment(B, packed, mn, LE).castShape(F, 0)).mul(dmin).neg();
                FloatVector mHi = ((FloatVector) ByteVector.fromMemorySegment(B, packed, mn + r, LE).castShape(F, 0)).mul(dmin).neg();
                long q = off + (long) (QS_AT + 32 * chunk) * r + h;
                int lo = dstOff + 64 * chunk * dstStride + h;
                int hi = lo + 32 * dstStride;
                for (int l = 0; l < 32; l++, q += r, lo += dstStride, hi += dstStride) {
                    ByteVector v = ByteVector.fromMemorySegment(B, packed, q, LE);
                    ((FloatVector) v.and((byte) 0xF).castShape(F, 0)).fma(kLo, mLo).intoArray(dst, lo);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).castShape(F, 0)).fma(kHi, mHi).intoArray(dst, hi);
                }
            }
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        float[] sums = sums(x, xOff, SUB);
        for (int g = g0; g < g1; g++) {
            FloatVector acc = FloatVector.zero(F);
            FloatVector offsets = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                FloatVector d = scales(packed, off);
                FloatVector dmin = scales(packed, off + 4L * G);
                for (int chunk = 0; chunk < 4; chunk++) {
                    // Sub-block scales and mins first, in memory order; then low nibbles (sub-block 2·chunk)
                    // and high nibbles (2·chunk + 1), two chains each.
                    int sub = 2 * chunk;
                    long sc = off + (long) (SCALES_AT + sub) * G;
                    long mn = off + (long) (MINS_AT + sub) * G;
                    FloatVector kLo = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(d);
                    FloatVector kHi = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(d);
                    FloatVector mLo = ((FloatVector) ByteVector.fromMemorySegment(B, packed, mn, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(dmin);
                    FloatVector mHi = ((FloatVector) ByteVector.fromMemorySegment(B, packed, mn + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(dmin);
                    FloatVector lo0 = FloatVector.zero(F);
                    FloatVector lo1 = FloatVector.zero(F);
                    FloatVector hi0 = FloatVector.zero(F);
                    FloatVector hi1 = FloatVector.zero(F);
                    long q = off + (long) (QS_AT + 32 * chunk) * G;
                    int xc = xOff + b * BLOCK + 64 * chunk;
                    for (int l = 0; l < 32; l += 2, q += 2L * G) {
                        IntVector v0 = (IntVector) ByteVector.fromMemorySegment(B, packed, q, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                        IntVector v1 = (IntVector) ByteVector.fromMemorySegment(B, packed, q + G, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                        int e = xc + l;
                        lo0 = ((FloatVector) v0.and(0xF).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e]), lo0);
                        hi0 = ((FloatVector) v0.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 32]), hi0);
                        lo1 = ((FloatVector) v1.and(0xF).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 1]), lo1);
                        hi1 = ((FloatVector) v1.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 33]), hi1);
                    }
                    acc = lo0.add(lo1).fma(kLo, hi0.add(hi1).fma(kHi, acc));
                    int sj = b * (BLOCK / SUB) + sub;
                    offsets = mLo.fma(FloatVector.broadcast(F, sums[sj]), mHi.fma(FloatVector.broadcast(F, sums[sj + 1]), offsets));
                }
            }
            acc.sub(offsets).intoArray(out, outOff + g * G);
        }
    }

    @Override
    void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        for (int g = g0; g < g1; g++) {
            // Two accumulators per input, for low and high nibbles: eight independent FMA chains.
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            FloatVector acc4 = FloatVector.zero(F);
            FloatVector acc5 = FloatVector.zero(F);
            FloatVector acc6 = FloatVector.zero(F);
            FloatVector acc7 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                FloatVector d = scales(packed, off);
                FloatVector dmin = scales(packed, off + 4L * G);
                for (int chunk = 0; chunk < 4; chunk++) {
                    int sub = 2 * chunk;
                    long sc = off + (long) (SCALES_AT + sub) * G;
                    long mn = off + (long) (MINS_AT + sub) * G;
                    // d·sc·q − dmin·m as one FMA: q·k + (−m).
                    FloatVector kLo = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(d);
                    FloatVector kHi = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(d);
                    FloatVector mLo = ((FloatVector) ByteVector.fromMemorySegment(B, packed, mn, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(dmin).neg();
                    FloatVector mHi = ((FloatVector) ByteVector.fromMemorySegment(B, packed, mn + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(dmin).neg();
                    long q = off + (long) (QS_AT + 32 * chunk) * G;
                    int xc = b * BLOCK + 64 * chunk;
                    for (int l = 0; l < 32; l++, q += G) {
                        IntVector v = (IntVector) ByteVector.fromMemorySegment(B, packed, q, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                        FloatVector lo = ((FloatVector) v.and(0xF).castShape(F, 0)).fma(kLo, mLo);
                        FloatVector hi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(kHi, mHi);
                        int e = xc + l;
                        acc0 = lo.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                        acc1 = lo.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                        acc2 = lo.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                        acc3 = lo.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                        e += 32;
                        acc4 = hi.fma(FloatVector.broadcast(F, x[xOff + e]), acc4);
                        acc5 = hi.fma(FloatVector.broadcast(F, x[x1 + e]), acc5);
                        acc6 = hi.fma(FloatVector.broadcast(F, x[x2 + e]), acc6);
                        acc7 = hi.fma(FloatVector.broadcast(F, x[x3 + e]), acc7);
                    }
                }
            }
            int o = outOff + g * G;
            acc0.add(acc4).intoArray(out, o);
            acc1.add(acc5).intoArray(out, o + outStride);
            acc2.add(acc6).intoArray(out, o + 2 * outStride);
            acc3.add(acc7).intoArray(out, o + 3 * outStride);
        }
    }
}
