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
 * Q6_K interleaved. A Q6_K super-block of 256 columns stores, per row, 128 bytes of low nibbles
 * ({@code ql}), 64 bytes of 2-bit high parts ({@code qh}), 16 signed 8-bit sub-block scales and an F16
 * scale {@code d}; the value at a column is {@code d·sc[col/16]·(q − 32)}. Here each of those arrays
 * is interleaved across the group's G rows, in the file's order: the G d's, then for each scale index
 * G scales, for each {@code ql} byte G bytes, for each {@code qh} byte G bytes.
 *
 * <p>As in the file, {@code ql[l]}, {@code ql[l+32]} and {@code qh[l]} of each 128-column half hold
 * columns l, l+32, l+64 and l+96. The −32 offset is folded out of the inner loop through sums of the
 * input over each 16-column sub-block, as {@link InterleavedQ4_0} does with its −8.
 */
final class InterleavedQ6K extends InterleavedMatrix {
    private static final int BLOCK = 256;
    private static final int BYTES = 210;
    private static final int SUB = 16;

    /** Offsets, in units of G bytes, of each array within a group's block. */
    private static final int SCALES_AT = 2;
    private static final int QL_AT = SCALES_AT + 16;
    private static final int QH_AT = QL_AT + 128;

    InterleavedQ6K(int rows, int cols) {
        super(rows, cols, BLOCK, BYTES);
    }

    @Override
    void pack(MemorySegment data, int g) {
        for (int b = 0; b < blocks; b++) {
            long dst = offset(g, b);
            for (int i = 0; i < G; i++) {
                long src = ((long) (g * G + i) * blocks + b) * BYTES;
                // File order: ql[128], qh[64], scales[16], d.
                packed.set(Layouts.SHORT, dst + 2L * i, data.get(Layouts.SHORT, src + 208));
                for (int j = 0; j < 16; j++) {
                    packed.set(Layouts.BYTE, dst + (long) (SCALES_AT + j) * G + i, data.get(Layouts.BYTE, src + 192 + j));
                }
                for (int l = 0; l < 128; l++) {
                    packed.set(Layouts.BYTE, dst + (long) (QL_AT + l) * G + i, data.get(Layouts.BYTE, src + l));
                }
                for (int l = 0; l < 64; l++) {
                    packed.set(Layouts.BYTE, dst + (long) (QH_AT + l) * G + i, data.get(Layouts.BYTE, src + 128 + l));
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
                for (int half = 0; half < 2; half++) {
                    long ql = off + (long) (QL_AT + 64 * half) * G;
                    long qh = off + (long) (QH_AT + 32 * half) * G;
                    int xc = xOff + b * BLOCK + 128 * half;
                    for (int part = 0; part < 2; part++) {
                        // Columns l, l+32, l+64, l+96 for l in this part's 16: four sub-blocks at once.
                        FloatVector s1 = FloatVector.zero(F);
                        FloatVector s2 = FloatVector.zero(F);
                        FloatVector s3 = FloatVector.zero(F);
                        FloatVector s4 = FloatVector.zero(F);
                        for (int l = 16 * part; l < 16 * part + 16; l++) {
                            IntVector a = (IntVector) ByteVector.fromMemorySegment(B, packed, ql + (long) l * G, LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            IntVector c = (IntVector) ByteVector.fromMemorySegment(B, packed, ql + (long) (l + 32) * G, LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            IntVector h = (IntVector) ByteVector.fromMemorySegment(B, packed, qh + (long) l * G, LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            IntVector q1 = a.and(0xF).or(h.and(0x3).lanewise(VectorOperators.LSHL, 4));
                            IntVector q2 = c.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2));
                            IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30));
                            IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.and(0xC0).lanewise(VectorOperators.LSHR, 2));
                            int e = xc + l;
                            s1 = ((FloatVector) q1.castShape(F, 0)).fma(FloatVector.broadcast(F, x[e]), s1);
                            s2 = ((FloatVector) q2.castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 32]), s2);
                            s3 = ((FloatVector) q3.castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 64]), s3);
                            s4 = ((FloatVector) q4.castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 96]), s4);
                        }
                        // Sub-block j = 8·half + part + 2k holds the columns of s(k+1).
                        int j = 8 * half + part;
                        long sc = off + (long) (SCALES_AT + j) * G;
                        int sj = b * (BLOCK / SUB) + j;
                        FloatVector k1 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc, LE).castShape(F, 0)).mul(d);
                        FloatVector k2 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + 2L * G, LE).castShape(F, 0)).mul(d);
                        FloatVector k3 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + 4L * G, LE).castShape(F, 0)).mul(d);
                        FloatVector k4 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + 6L * G, LE).castShape(F, 0)).mul(d);
                        acc = s1.fma(k1, s2.fma(k2, s3.fma(k3, s4.fma(k4, acc))));
                        offsets = k1.fma(FloatVector.broadcast(F, sums[sj]), offsets);
                        offsets = k2.fma(FloatVector.broadcast(F, sums[sj + 2]), offsets);
                        offsets = k3.fma(FloatVector.broadcast(F, sums[sj + 4]), offsets);
                        offsets = k4.fma(FloatVector.broadcast(F, sums[sj + 6]), offsets);
                    }
                }
            }
            acc.sub(offsets.mul(32f)).intoArray(out, outOff + g * G);
        }
    }

    @Override
    void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        for (int g = g0; g < g1; g++) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                FloatVector d = scales(packed, off);
                for (int half = 0; half < 2; half++) {
                    long ql = off + (long) (QL_AT + 64 * half) * G;
                    long qh = off + (long) (QH_AT + 32 * half) * G;
                    int xc = b * BLOCK + 128 * half;
                    for (int part = 0; part < 2; part++) {
                        long sc = off + (long) (SCALES_AT + 8 * half + part) * G;
                        FloatVector k1 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc, LE).castShape(F, 0)).mul(d);
                        FloatVector k2 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + 2L * G, LE).castShape(F, 0)).mul(d);
                        FloatVector k3 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + 4L * G, LE).castShape(F, 0)).mul(d);
                        FloatVector k4 = ((FloatVector) ByteVector.fromMemorySegment(B, packed, sc + 6L * G, LE).castShape(F, 0)).mul(d);
                        for (int l = 16 * part; l < 16 * part + 16; l++) {
                            IntVector a = (IntVector) ByteVector.fromMemorySegment(B, packed, ql + (long) l * G, LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            IntVector c = (IntVector) ByteVector.fromMemorySegment(B, packed, ql + (long) (l + 32) * G, LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            IntVector h = (IntVector) ByteVector.fromMemorySegment(B, packed, qh + (long) l * G, LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                            // (q − 32)·k as one FMA: q·k + (−32k).
                            FloatVector w1 = ((FloatVector) a.and(0xF).or(h.and(0x3).lanewise(VectorOperators.LSHL, 4)).sub(32).castShape(F, 0)).mul(k1);
                            FloatVector w2 = ((FloatVector) c.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2)).sub(32).castShape(F, 0)).mul(k2);
                            FloatVector w3 = ((FloatVector) a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30)).sub(32).castShape(F, 0)).mul(k3);
                            FloatVector w4 = ((FloatVector) c.lanewise(VectorOperators.LSHR, 4).or(h.and(0xC0).lanewise(VectorOperators.LSHR, 2)).sub(32).castShape(F, 0)).mul(k4);
                            int e = xc + l;
                            acc0 = w1.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                            acc1 = w1.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                            acc2 = w1.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                            acc3 = w1.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                            e += 32;
                            acc0 = w2.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                            acc1 = w2.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                            acc2 = w2.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                            acc3 = w2.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                            e += 32;
                            acc0 = w3.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                            acc1 = w3.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                            acc2 = w3.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                            acc3 = w3.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                            e += 32;
                            acc0 = w4.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                            acc1 = w4.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                            acc2 = w4.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                            acc3 = w4.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                        }
                    }
                }
            }
            int o = outOff + g * G;
            acc0.intoArray(out, o);
            acc1.intoArray(out, o + outStride);
            acc2.intoArray(out, o + 2 * outStride);
            acc3.intoArray(out, o + 3 * outStride);
        }
    }
}
