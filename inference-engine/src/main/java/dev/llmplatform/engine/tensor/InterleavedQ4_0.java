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
        for (int g = g0; g < g1; g++) {
            FloatVector acc = FloatVector.zero(F);
            FloatVector offsets = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0, c = xOff; b < blocks; b++, c += BLOCK, off += groupBlockBytes) {
                // Four accumulators (low and high nibbles of even and odd bytes): independent FMA chains.
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                long q = off + 2L * G;
                for (int k = 0; k < 16; k += 2, q += 2L * G) {
                    IntVector v0 = (IntVector) ByteVector.fromMemorySegment(B, packed, q, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector v1 = (IntVector) ByteVector.fromMemorySegment(B, packed, q + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    int e = c + k;
                    s0 = ((FloatVector) v0.and(0xF).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e]), s0);
                    s1 = ((FloatVector) v0.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 16]), s1);
                    s2 = ((FloatVector) v1.and(0xF).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 1]), s2);
                    s3 = ((FloatVector) v1.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(FloatVector.broadcast(F, x[e + 17]), s3);
                }
                FloatVector d = scales(packed, off);
                acc = s0.add(s1).add(s2.add(s3)).fma(d, acc);
                offsets = d.fma(FloatVector.broadcast(F, sums[b]), offsets);
            }
            acc.sub(offsets.mul(8f)).intoArray(out, outOff + g * G);
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
