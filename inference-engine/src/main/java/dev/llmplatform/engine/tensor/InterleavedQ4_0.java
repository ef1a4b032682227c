package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.I;
import static dev.llmplatform.engine.tensor.Simd.LE;
import static dev.llmplatform.engine.tensor.Simd.S;

import java.util.Arrays;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_0 interleaved, groups of R = 2G rows: for each group and block of 32 columns, the R rows' scales
 * (F16, as in the file), then 16 slices of R bytes, slice k holding quant byte k of every row (low nibble
 * column k, high nibble column k + 16, as in the file). 18 bytes per block and row, as the file: F32
 * scales (20 bytes, 5 bits a weight against Q4_K's 4.75) made a decode step read 11% more from DRAM; the
 * kernels widen the F16 bits to floats with a widening load, two integer operations and one multiply
 * ({@link #halfScales}), a few instructions per G rows and 32 columns.
 *
 * <p>Decoding one input (a decode step) works in 16-bit integers, as llama.cpp does in 8-bit ones: the
 * input is quantized to 8 bits per block of 32 ({@code x ≈ dx·xq}), and a slice of R nibbles,
 * zero-extended to R 16-bit lanes, meets a broadcast {@code xq} in one 16-bit multiply and one add,
 * twice as many lanes per instruction as floats and no conversions in the inner loop. The sums stay
 * exact: 16 products of a nibble (≤ 15) and {@code |xq| ≤ 127} fit in 16 bits, and the block's result
 * {@code Σ(q − 8)·xq} does too, so the −8 offset enters once per block (as the sum's starting value),
 * modulo 2¹⁶. Each block then costs one conversion to floats and one FMA with {@code d·dx} per G rows.
 * Quantizing the input costs accuracy on the order of llama.cpp's own (whose Q4_0 products take 8-bit
 * inputs too).
 *
 * <p>Several inputs at once (prompt processing) stay in floats, decoding each slice once for four or
 * eight inputs. With {@code -Dllmp.integerPrompts=true} eight inputs are quantized as above and each
 * slice meets all eight in 16-bit lanes ({@link #multiply8Quantized}); that halves the decode work but
 * needs a broadcast, a multiply and an add where floats need one FMA with a broadcast from memory, so
 * it measured no faster (docs/benchmarks.md) and is not the default.
 */
final class InterleavedQ4_0 extends InterleavedMatrix {
    private static final int BLOCK = 32;
    static final int FILE_BYTES = 18;
    /** F16 scale, then 16 quant bytes: the file's block, its bytes regrouped. */
    static final int BYTES = FILE_BYTES;
    /**
     * An F16's sign, exponent and mantissa moved to an F32's places ({@code bits << 13}, the sign kept):
     * read as a float that is the F16's value times 2⁻¹¹², for normal and subnormal F16 alike.
     */
    private static final int F16_AS_F32_BITS = 0x8FFFE000;
    private static final float F16_RESCALE = 0x1p112f;
    private static final int R = 2 * G;
    private static final VectorSpecies<Short> SR = VectorSpecies.of(short.class, VectorShape.forBitSize(R * 16));
    private static final VectorSpecies<Byte> BR = VectorSpecies.of(byte.class, VectorShape.forBitSize(R * 8));
    /** Where a group's block has its quant slices: after its R scales of 2 bytes. */
    private static final int QUANTS_AT = 2 * R;
    private static final ThreadLocal<QuantizedInput> INPUTS = ThreadLocal.withInitial(QuantizedInput::new);
    /** Eight inputs, quantized, for {@link #multiply8}. */
    private static final ThreadLocal<QuantizedInput[]> BATCH_INPUTS = ThreadLocal.withInitial(() -> {
        QuantizedInput[] inputs = new QuantizedInput[8];
        Arrays.setAll(inputs, t -> new QuantizedInput());
        return inputs;
    });
    private static final ThreadLocal<float[]> ACCUMULATORS = ThreadLocal.withInitial(() -> new float[8 * R]);
    private static final ThreadLocal<short[]> BLOCK_SUMS = ThreadLocal.withInitial(() -> new short[8 * R]);

    InterleavedQ4_0(int rows, int cols, ComputeResources resources) {
        super(rows, cols, BLOCK, BYTES, R, resources);
    }

    @Override
    void pack(byte[] src, byte[] dst) {
        for (int b = 0; b < blocks; b++) {
            int to = (int) (b * groupBlockBytes);
            for (int i = 0; i < R; i++) {
                int from = (i * blocks + b) * FILE_BYTES;
                if ((src[from + 1] & 0x7C) == 0x7C) {
                    // Exponent 31: infinity or NaN, which halfScales would read as a finite number.
                    throw new IllegalArgumentException("Q4_0 weights with a non-finite block scale (F16 "
                            + String.format("0x%02X%02X", src[from + 1], src[from]) + "): the file is damaged");
                }
                dst[to + 2 * i] = src[from];
                dst[to + 2 * i + 1] = src[from + 1];
                for (int k = 0; k < 16; k++) {
                    dst[to + QUANTS_AT + k * R + i] = src[from + 2 + k];
                }
            }
        }
    }

    /**
     * The G F16 scales at {@code off} as floats, exactly: the bits moved to an F32's places read as the
     * value times 2⁻¹¹² (a subnormal F16 lands on a normal or subnormal F32 of the same mantissa), then
     * one multiply by 2¹¹². Infinities and NaNs would read as finite numbers; {@link #pack} refuses them.
     */
    private static FloatVector halfScales(MemorySegment m, long off) {
        IntVector bits = (IntVector) ShortVector.fromMemorySegment(S, m, off, LE)
                .convertShape(VectorOperators.S2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 13).and(F16_AS_F32_BITS).reinterpretAsFloats().mul(F16_RESCALE);
    }

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        MemorySegment copy = weights();
        int r = groupRows;
        long off = offset(g, b);
        for (int h = 0; h < r; h += G) {
            FloatVector d = halfScales(copy, off + 2L * h);
            long q = off + QUANTS_AT + h;
            for (int k = 0; k < BLOCK / 2; k++, q += r) {
                ByteVector v = ByteVector.fromMemorySegment(B, copy, q, LE);
                ByteVector lo = v.and((byte) 0xF).sub((byte) 8);
                ByteVector hi = v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).sub((byte) 8);
                ((FloatVector) lo.castShape(F, 0)).mul(d).intoArray(dst, dstOff + k * dstStride + h);
                ((FloatVector) hi.castShape(F, 0)).mul(d).intoArray(dst, dstOff + (k + BLOCK / 2) * dstStride + h);
            }
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        QuantizedInput in = INPUTS.get();
        in.quantize(x, xOff, cols);
        multiplyQuantized(in, out, outOff, g0, g1);
    }

    /**
     * Groups [g0, g1), one at a time, each read front to back: a decode step streams the weights from
     * DRAM, and two groups per loop (two streams a group apart, each broadcast input feeding both) read
     * less than half as fast as one (docs/benchmarks.md). Per block: Σ(q − 8)·xq in 16 bits, the −8·Σxq
     * offset as the low sum's starting value (exact modulo 2¹⁶, and the true sum fits: |Σ| ≤ 32·8·127, so
     * the wrap-around cancels), then one conversion and one FMA with {@code d·dx} per G rows.
     */
    private void multiplyQuantized(QuantizedInput in, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        short[] xq = in.q;
        // No vector method is called on a vector carried around a loop (the last column sits outside the
        // column loop, the block's sum is a fresh vector): see InterleavedQ4K.multiply.
        for (int g = g0; g < g1; g++) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0, c = 0; b < blocks; b++, c += BLOCK, off += groupBlockBytes) {
                // Scales first: they open the block in memory (read last, they cost a third more time).
                float dx = in.scale[b];
                FloatVector k0 = halfScales(copy, off).mul(dx);
                FloatVector k1 = halfScales(copy, off + 2L * G).mul(dx);
                ShortVector lo = ShortVector.broadcast(SR, (short) (-8 * in.sum[b]));
                ShortVector hi = ShortVector.zero(SR);
                long q = off + QUANTS_AT;
                for (int k = 0; k < 15; k++, q += R) {
                    ShortVector v = (ShortVector) ByteVector.fromMemorySegment(BR, copy, q, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SR, 0);
                    lo = v.and((short) 0xF).mul(xq[c + k]).add(lo);
                    hi = v.lanewise(VectorOperators.LSHR, 4).mul(xq[c + k + 16]).add(hi);
                }
                ShortVector v = (ShortVector) ByteVector.fromMemorySegment(BR, copy, q, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, SR, 0);
                ShortVector sumHi = v.lanewise(VectorOperators.LSHR, 4).mul(xq[c + 31]).add(hi);
                ShortVector sum = v.and((short) 0xF).mul(xq[c + 15]).add(lo).add(sumHi);
                acc0 = ((FloatVector) sum.convertShape(VectorOperators.S2F, F, 0)).fma(k0, acc0);
                acc1 = ((FloatVector) sum.convertShape(VectorOperators.S2F, F, 1)).fma(k1, acc1);
            }
            int o = outOff + g * R;
            FloatVector.zero(F).add(acc0).intoArray(out, o);
            FloatVector.zero(F).add(acc1).intoArray(out, o + G);
        }
    }

    @Override
    void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        MemorySegment copy = weights();
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        for (int g = g0; g < g1; g++) {
            // The group's two halves of G rows, one float vector each.
            for (int h = 0; h < R; h += G) {
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
                    FloatVector d = halfScales(copy, off + 2L * h);
                    FloatVector m = d.mul(-8f);
                    long q = off + QUANTS_AT + h;
                    for (int k = 0; k < 16; k++, q += R) {
                        IntVector v = (IntVector) ByteVector.fromMemorySegment(B, copy, q, LE)
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
                int o = outOff + g * R + h;
                acc0.add(acc4).intoArray(out, o);
                acc1.add(acc5).intoArray(out, o + outStride);
                acc2.add(acc6).intoArray(out, o + 2 * outStride);
                acc3.add(acc7).intoArray(out, o + 3 * outStride);
            }
        }
    }

    @Override
    void multiply8(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        if (INTEGER_PROMPTS) {
            multiply8Quantized(x, xOff, out, outOff, outStride, g0, g1);
        } else {
            multiply8Float(x, xOff, out, outOff, outStride, g0, g1);
        }
    }

    /** {@link #multiply8} in integers: the inputs quantized to 8 bits per block, as a decode step's. */
    void multiply8Quantized(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        QuantizedInput[] in = BATCH_INPUTS.get();
        for (int t = 0; t < 8; t++) {
            in[t].quantize(x, xOff + t * cols, cols);
        }
        multiply8Integer(in, out, outOff, outStride, g0, g1);
    }

    /**
     * Eight inputs quantized to 8 bits per block, each decoded slice of R nibbles multiplied by all
     * eight in 16-bit lanes: one 16-bit accumulator per input and block, exact as in {@link #multiply}
     * (the block's Σq·xq is taken modulo 2¹⁶ and the offset's 8·Σxq subtracted once). A block's eight
     * sums are then scaled in floats into a per-thread accumulator of 8·R floats.
     */
    private void multiply8Integer(QuantizedInput[] in, float[] out, int outOff, int outStride, int g0, int g1) {
        // Three methods, each compiled on its own: as one, C2 stopped inlining at its node budget and the
        // vector operations it left out ran as Java fallbacks (50 times slower).
        float[] acc = ACCUMULATORS.get();
        short[] sums = BLOCK_SUMS.get();
        for (int g = g0; g < g1; g++) {
            Arrays.fill(acc, 0f);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                blockSums(in, off + QUANTS_AT, b * BLOCK, sums);
                scaleInto(acc, sums, in, b, off);
            }
            int o = outOff + g * R;
            for (int t = 0; t < 8; t++, o += outStride) {
                System.arraycopy(acc, t * R, out, o, R);
            }
        }
    }

    /** One block's Σq·xq (modulo 2¹⁶) for the group's R rows and eight inputs, into {@code sums[t·R ..]}. */
    private void blockSums(QuantizedInput[] in, long q, int c, short[] sums) {
        MemorySegment copy = weights();
        short[] q0 = in[0].q;
        short[] q1 = in[1].q;
        short[] q2 = in[2].q;
        short[] q3 = in[3].q;
        short[] q4 = in[4].q;
        short[] q5 = in[5].q;
        short[] q6 = in[6].q;
        short[] q7 = in[7].q;
        ShortVector s0 = ShortVector.zero(SR);
        ShortVector s1 = ShortVector.zero(SR);
        ShortVector s2 = ShortVector.zero(SR);
        ShortVector s3 = ShortVector.zero(SR);
        ShortVector s4 = ShortVector.zero(SR);
        ShortVector s5 = ShortVector.zero(SR);
        ShortVector s6 = ShortVector.zero(SR);
        ShortVector s7 = ShortVector.zero(SR);
        for (int k = 0; k < 16; k++, q += R) {
            ShortVector v = (ShortVector) ByteVector.fromMemorySegment(BR, copy, q, LE)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SR, 0);
            ShortVector lo = v.and((short) 0xF);
            ShortVector hi = v.lanewise(VectorOperators.LSHR, 4);
            int e = c + k;
            int f = e + 16;
            s0 = lo.mul(q0[e]).add(hi.mul(q0[f])).add(s0);
            s1 = lo.mul(q1[e]).add(hi.mul(q1[f])).add(s1);
            s2 = lo.mul(q2[e]).add(hi.mul(q2[f])).add(s2);
            s3 = lo.mul(q3[e]).add(hi.mul(q3[f])).add(s3);
            s4 = lo.mul(q4[e]).add(hi.mul(q4[f])).add(s4);
            s5 = lo.mul(q5[e]).add(hi.mul(q5[f])).add(s5);
            s6 = lo.mul(q6[e]).add(hi.mul(q6[f])).add(s6);
            s7 = lo.mul(q7[e]).add(hi.mul(q7[f])).add(s7);
        }
        s0.intoArray(sums, 0);
        s1.intoArray(sums, R);
        s2.intoArray(sums, 2 * R);
        s3.intoArray(sums, 3 * R);
        s4.intoArray(sums, 4 * R);
        s5.intoArray(sums, 5 * R);
        s6.intoArray(sums, 6 * R);
        s7.intoArray(sums, 7 * R);
    }

    /** {@code acc[t·R ..] += (sums[t·R ..] − 8·Σxq)·d·dx} for the eight inputs' block {@code b}. */
    private void scaleInto(float[] acc, short[] sums, QuantizedInput[] in, int b, long off) {
        MemorySegment copy = weights();
        FloatVector dLo = halfScales(copy, off);
        FloatVector dHi = halfScales(copy, off + 2L * G);
        for (int t = 0, at = 0; t < 8; t++, at += R) {
            ShortVector exact = ShortVector.fromArray(SR, sums, at).sub((short) (8 * in[t].sum[b]));
            float dx = in[t].scale[b];
            FloatVector a0 = ((FloatVector) exact.convertShape(VectorOperators.S2F, F, 0)).fma(dLo.mul(dx), FloatVector.fromArray(F, acc, at));
            FloatVector a1 = ((FloatVector) exact.convertShape(VectorOperators.S2F, F, 1)).fma(dHi.mul(dx), FloatVector.fromArray(F, acc, at + G));
            a0.intoArray(acc, at);
            a1.intoArray(acc, at + G);
        }
    }

    /** Eight inputs per decoded slice in floats: the decode is paid once for sixteen FMAs. */
    private void multiply8Float(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        MemorySegment copy = weights();
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        int x4 = x3 + cols;
        int x5 = x4 + cols;
        int x6 = x5 + cols;
        int x7 = x6 + cols;
        for (int g = g0; g < g1; g++) {
            for (int h = 0; h < R; h += G) {
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
                    FloatVector d = halfScales(copy, off + 2L * h);
                    FloatVector m = d.mul(-8f);
                    long q = off + QUANTS_AT + h;
                    for (int k = 0; k < 16; k++, q += R) {
                        IntVector v = (IntVector) ByteVector.fromMemorySegment(B, copy, q, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                        FloatVector lo = ((FloatVector) v.and(0xF).castShape(F, 0)).fma(d, m);
                        FloatVector hi = ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).castShape(F, 0)).fma(d, m);
                        int e = c + k;
                        acc0 = hi.fma(FloatVector.broadcast(F, x[xOff + e + 16]), lo.fma(FloatVector.broadcast(F, x[xOff + e]), acc0));
                        acc1 = hi.fma(FloatVector.broadcast(F, x[x1 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x1 + e]), acc1));
                        acc2 = hi.fma(FloatVector.broadcast(F, x[x2 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x2 + e]), acc2));
                        acc3 = hi.fma(FloatVector.broadcast(F, x[x3 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x3 + e]), acc3));
                        acc4 = hi.fma(FloatVector.broadcast(F, x[x4 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x4 + e]), acc4));
                        acc5 = hi.fma(FloatVector.broadcast(F, x[x5 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x5 + e]), acc5));
                        acc6 = hi.fma(FloatVector.broadcast(F, x[x6 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x6 + e]), acc6));
                        acc7 = hi.fma(FloatVector.broadcast(F, x[x7 + e + 16]), lo.fma(FloatVector.broadcast(F, x[x7 + e]), acc7));
                    }
                }
                int o = outOff + g * R + h;
                acc0.intoArray(out, o);
                acc1.intoArray(out, o + outStride);
                acc2.intoArray(out, o + 2 * outStride);
                acc3.intoArray(out, o + 3 * outStride);
                acc4.intoArray(out, o + 4 * outStride);
                acc5.intoArray(out, o + 5 * outStride);
                acc6.intoArray(out, o + 6 * outStride);
                acc7.intoArray(out, o + 7 * outStride);
            }
        }
    }

}
