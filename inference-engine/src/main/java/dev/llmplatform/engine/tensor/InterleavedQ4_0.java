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
 * Q4_0 interleaved: for each group and block of 32 columns, the G rows' F16 scales, then 16 slices of G
 * bytes, slice k holding quant byte k of every row (low nibble column k, high nibble column k + 16, as
 * in the file). One load, zero-extended to int lanes, yields two columns: {@code & 0xF} and
 * {@code >>> 4}.
 *
 * <p>Decoding one input folds the −8 offset out of the inner loop:
 * {@code Σ d(q − 8)x = d·Σqx − 8d·Σx}, with the block sums {@code Σx} taken once per call.
 */
final class InterleavedQ4_0 extends InterleavedMatrix {
    private static final int BLOCK = 32;
    private static final int BYTES = 18;

    InterleavedQ4_0(int rows, int cols) {
        super(rows, cols, BLOCK, BYTES);
    }

    @Override
    void pack(MemorySegment data, int g) {
        for (int b = 0; b < blocks; b++) {
            long dst = offset(g, b);
            for (int i = 0; i < G; i++) {
                long src = ((long) (g * G + i) * blocks + b) * BYTES;
                packed.set(Layouts.SHORT, dst + 2L * i, data.get(Layouts.SHORT, src));
                for (int k = 0; k < 16; k++) {
                    packed.set(Layouts.BYTE, dst + 2L * G + (long) k * G + i, data.get(Layouts.BYTE, src + 2 + k));
                }
            }
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        float[] sums = sums(x, xOff, BLOCK);
        long stride = groupBytes();
        int g = g0;
        // Four groups at a time, so that each broadcast input feeds four vectors (as in InterleavedQ8_0).
        for (; g + 4 <= g1; g += 4) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0, c = xOff; b < blocks; b++, c += BLOCK, off += groupBlockBytes) {
                long q0 = off + 2L * G;
                long q1 = q0 + stride;
                long q2 = q1 + stride;
                long q3 = q2 + stride;
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                for (int k = 0; k < 16; k++) {
                    FloatVector xl = FloatVector.broadcast(F, x[c + k]);
                    FloatVector xh = FloatVector.broadcast(F, x[c + k + 16]);
                    long o = (long) k * G;
                    IntVector v0 = (IntVector) ByteVector.fromMemorySegment(B, packed, q0 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector v1 = (IntVector) ByteVector.fromMemorySegment(B, packed, q1 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector v2 = (IntVector) ByteVector.fromMemorySegment(B, packed, q2 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector v3 = (IntVector) ByteVector.fromMemorySegment(B, packed, q3 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    s0 = ((FloatVector) v0.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(xh, ((FloatVector) v0.and(0xF).castShape(F, 0)).fma(xl, s0));
                    s1 = ((FloatVector) v1.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(xh, ((FloatVector) v1.and(0xF).castShape(F, 0)).fma(xl, s1));
                    s2 = ((FloatVector) v2.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(xh, ((FloatVector) v2.and(0xF).castShape(F, 0)).fma(xl, s2));
                    s3 = ((FloatVector) v3.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(xh, ((FloatVector) v3.and(0xF).castShape(F, 0)).fma(xl, s3));
                }
                FloatVector m = FloatVector.broadcast(F, 8 * sums[b]);
                acc0 = s0.sub(m).fma(scales(packed, off), acc0);
                acc1 = s1.sub(m).fma(scales(packed, off + stride), acc1);
                acc2 = s2.sub(m).fma(scales(packed, off + 2 * stride), acc2);
                acc3 = s3.sub(m).fma(scales(packed, off + 3 * stride), acc3);
            }
            int o = outOff + g * G;
            acc0.intoArray(out, o);
            acc1.intoArray(out, o + G);
            acc2.intoArray(out, o + 2 * G);
            acc3.intoArray(out, o + 3 * G);
        }
        for (; g < g1; g++) {
            FloatVector acc = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0, c = xOff; b < blocks; b++, c += BLOCK, off += groupBlockBytes) {
                // Two accumulators, for low and high nibbles: independent FMA chains.
                FloatVector lo = FloatVector.zero(F);
                FloatVector hi = FloatVector.zero(F);
                long q = off + 2L * G;
                for (int k = 0; k < 16; k++, q += G) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B, packed, q, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    lo = ((FloatVector) v.and(0xF).castShape(F, 0)).fma(FloatVector.broadcast(F, x[c + k]), lo);
                    hi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(FloatVector.broadcast(F, x[c + k + 16]), hi);
                }
                acc = lo.add(hi).sub(8 * sums[b]).fma(scales(packed, off), acc);
            }
            acc.intoArray(out, outOff + g * G);
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
            for (int c = 0; c < cols; c += BLOCK, off += groupBlockBytes) {
                // d·(q − 8) as one FMA: q·d + (−8d).
                FloatVector d = scales(packed, off);
                FloatVector m = d.mul(-8f);
                long q = off + 2L * G;
                for (int k = 0; k < 16; k++, q += G) {
                    IntVector v = (IntVector) ByteVector.fromMemorySegment(B, packed, q, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    FloatVector lo = ((FloatVector) v.and(0xF).castShape(F, 0)).fma(d, m);
                    FloatVector hi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(d, m);
                    int e = c + k;
                    acc0 = lo.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                    acc1 = lo.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                    acc2 = lo.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                    acc3 = lo.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                    e += 16;
                    acc4 = hi.fma(FloatVector.broadcast(F, x[xOff + e]), acc4);
                    acc5 = hi.fma(FloatVector.broadcast(F, x[x1 + e]), acc5);
                    acc6 = hi.fma(FloatVector.broadcast(F, x[x2 + e]), acc6);
                    acc7 = hi.fma(FloatVector.broadcast(F, x[x3 + e]), acc7);
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
