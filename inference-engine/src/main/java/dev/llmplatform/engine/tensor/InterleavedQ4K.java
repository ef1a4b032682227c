package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.I;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q4_K interleaved, groups of R = 2G rows. Per row, a super-block of 256 columns has F16 {@code d} and
 * {@code dmin}, eight 6-bit sub-block scales and mins packed into 12 bytes, and 128 quant bytes; the
 * value is {@code d·sc·q − dmin·m}. Here, per group and super-block: the R d's and the R dmin's (as F32),
 * then, for each chunk c of 64 columns, the scales and the mins of its sub-blocks 2c and 2c + 1 unpacked
 * to one byte each (slices of R; 16 bytes a row where the file has 12, for no bit-unpacking in the
 * kernel) and its 32 quant bytes, byte k of every row together. As in the file, quant byte
 * {@code 32c + l} holds column {@code 64c + l} in its low nibble and {@code 64c + 32 + l} in its high
 * nibble.
 *
 * <p>Decoding one input works in 16-bit integers, as {@link InterleavedQ4_0}'s does: the input is
 * quantized to 8 bits per block of 32, which is one sub-block ({@link QuantizedInput}), and a slice of R
 * nibbles, zero-extended to R 16-bit lanes, meets a broadcast {@code xq} in one multiply and one add.
 * A sub-block's {@code Σ(q − 8)·xq} is exact modulo 2¹⁶ and fits in 16 bits ({@code 32·8·127}), so the
 * offset {@code −8·Σxq} is the 16-bit sum's starting value and is added back in floats; scales, mins and
 * {@code d}, {@code dmin} are applied in floats per sub-block and super-block. The min term takes the
 * quantized input's sum too, so the whole product is that of the quantized input (an error bounded
 * by {@code Σ|w|·dx/2} per block, as llama.cpp's Q4_K products over q8 inputs). Reads follow memory
 * order ({@code d}, {@code dmin}, then chunk by chunk its scales, mins and quants): a decode step
 * streams the weights from DRAM, and with the scales read after the quants this kernel was no faster
 * end to end than the float one it replaced (docs/benchmarks.md). Several inputs at once
 * (prompt processing) stay in floats, one half of the group (G rows) at a time.
 */
final class InterleavedQ4K extends InterleavedMatrix {
    private static final int BLOCK = 256;
    private static final int SUB = 32;
    static final int FILE_BYTES = 144;
    private static final int R = 2 * G;
    /**
     * Offsets, in units of R bytes, within a group's block: the d's and dmin's (8), then per chunk of 64
     * columns its two sub-blocks' scales, their two mins and its 32 quant slices, so that a decode pass
     * reads each block front to back.
     */
    private static final int CHUNKS_AT = 8;
    private static final int CHUNK = 2 + 2 + 32;
    static final int BYTES = CHUNKS_AT + 4 * CHUNK;
    private static final VectorSpecies<Short> SR = VectorSpecies.of(short.class, VectorShape.forBitSize(R * 16));
    private static final VectorSpecies<Byte> BR = VectorSpecies.of(byte.class, VectorShape.forBitSize(R * 8));
    private static final ThreadLocal<QuantizedInput> INPUTS = ThreadLocal.withInitial(QuantizedInput::new);
    /**
     * The exact classes of the decode's float and 16-bit vectors. {@code FX.cast(v)} (a C2 intrinsic) proves a
     * vector's class where C2 would otherwise take it from the Vector API's process-wide type profiles: the
     * kernel outgrows C2's parse-time inlining budget, and which species checks then stay unfolded depended on
     * those profiles, so each process got one of two compiled shapes, one a quarter slower (docs/benchmarks.md,
     * "Q4_K decode: two compile shapes").
     */
    private static final Class<? extends FloatVector> FX = FloatVector.zero(F).getClass();
    private static final Class<? extends ShortVector> SX = ShortVector.zero(SR).getClass();

    /** Sub-block j's scales. */
    private static int scaleAt(int j) {
        return CHUNKS_AT + (j >> 1) * CHUNK + (j & 1);
    }

    /** Sub-block j's mins. */
    private static int minAt(int j) {
        return scaleAt(j) + 2;
    }

    /** Quant byte k (of 128): chunk k / 32's slice k % 32. */
    private static int quantAt(int k) {
        return CHUNKS_AT + (k >> 5) * CHUNK + 4 + (k & 31);
    }

    InterleavedQ4K(int rows, int cols, ComputeResources resources) {
        super(rows, cols, BLOCK, BYTES, R, resources);
    }

    @Override
    void pack(byte[] src, byte[] dst) {
        MemorySegment scales = MemorySegment.ofArray(src);
        for (int b = 0; b < blocks; b++) {
            int to = (int) (b * groupBlockBytes);
            for (int i = 0; i < R; i++) {
                int from = (i * blocks + b) * FILE_BYTES;
                putFloat(dst, to + 4 * i, f16(src, from + Q4KKernel.D));
                putFloat(dst, to + 4 * R + 4 * i, f16(src, from + Q4KKernel.DMIN));
                for (int j = 0; j < 8; j++) {
                    dst[to + scaleAt(j) * R + i] = (byte) KQuantScales.scale(scales, from + Q4KKernel.SCALES, j);
                    dst[to + minAt(j) * R + i] = (byte) KQuantScales.min(scales, from + Q4KKernel.SCALES, j);
                }
                for (int k = 0; k < 128; k++) {
                    dst[to + quantAt(k) * R + i] = src[from + Q4KKernel.QS + k];
                }
            }
        }
    }

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        MemorySegment copy = weights();
        int r = groupRows;
        long off = offset(g, b);
        for (int h = 0; h < r; h += G) {
            FloatVector d = scales(copy, off + 4L * h);
            FloatVector dmin = scales(copy, off + 4L * r + 4L * h);
            for (int chunk = 0; chunk < 4; chunk++) {
                // Sub-block 2·chunk in the low nibbles, 2·chunk + 1 in the high ones; value = d·sc·q − dmin·m.
                long sc = off + (long) scaleAt(2 * chunk) * r + h;
                long mn = off + (long) minAt(2 * chunk) * r + h;
                FloatVector kLo = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc, LE).castShape(F, 0)).mul(d);
                FloatVector kHi = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc + r, LE).castShape(F, 0)).mul(d);
                FloatVector mLo = ((FloatVector) ByteVector.fromMemorySegment(B, copy, mn, LE).castShape(F, 0)).mul(dmin).neg();
                FloatVector mHi = ((FloatVector) ByteVector.fromMemorySegment(B, copy, mn + r, LE).castShape(F, 0)).mul(dmin).neg();
                long q = off + (long) quantAt(32 * chunk) * r + h;
                int lo = dstOff + 64 * chunk * dstStride + h;
                int hi = lo + 32 * dstStride;
                for (int l = 0; l < 32; l++, q += r, lo += dstStride, hi += dstStride) {
                    ByteVector v = ByteVector.fromMemorySegment(B, copy, q, LE);
                    ((FloatVector) v.and((byte) 0xF).castShape(F, 0)).fma(kLo, mLo).intoArray(dst, lo);
                    ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).castShape(F, 0)).fma(kHi, mHi).intoArray(dst, hi);
                }
            }
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        QuantizedInput in = INPUTS.get();
        in.quantize(x, xOff, cols);
        short[] xq = in.q;
        // No vector method below is called on a vector carried around a loop: C2 types such a receiver
        // only by the JDK method's shared profile, which a prompt phase can leave without receiver data
        // (then the call stays virtual and every vector on its path is boxed; docs/benchmarks.md).
        for (int g = g0; g < g1; g++) {
            // The group's two halves of G rows: Σ d·Σsc·… − Σ dmin·Σm·….
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                // Scales first: they open the block in memory (as in InterleavedQ4_0: read last, they cost more).
                FloatVector d0 = FX.cast(scales(copy, off));
                FloatVector d1 = FX.cast(scales(copy, off + 4L * G));
                FloatVector dmin0 = FX.cast(scales(copy, off + 4L * R).neg());
                FloatVector dmin1 = FX.cast(scales(copy, off + 4L * R + 4L * G).neg());
                // Σ_sub sc·dx·Σq·xq and Σ_sub m·dx·Σxq over the super-block; times d and −dmin after it.
                FloatVector scaled0 = FloatVector.zero(F);
                FloatVector scaled1 = FloatVector.zero(F);
                FloatVector mins0 = FloatVector.zero(F);
                FloatVector mins1 = FloatVector.zero(F);
                for (int chunk = 0; chunk < 4; chunk++) {
                    // Sub-block j (= 2·chunk): the low nibbles of the chunk's quant bytes; j + 1: the high ones.
                    int j = b * (BLOCK / SUB) + 2 * chunk;
                    int c = j * SUB;
                    long q = off + (long) quantAt(32 * chunk) * R;
                    // Sub-block scales and mins before the quants, in memory order. The loads are spelled out on
                    // purpose: the same loads through a small static helper made the decode after a prompt about
                    // 30 % slower (tg128 23.8–29.6 against 35.7–45.9 tok/s, four alternating runs, 2026-12-07);
                    // a likely cause, not confirmed in the assembly: the helper's segment parameter typed less exactly.
                    long sc = off + (long) scaleAt(2 * chunk) * R;
                    long mn = off + (long) minAt(2 * chunk) * R;
                    FloatVector scLo0 = FX.cast(ByteVector.fromMemorySegment(B, copy, sc, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector scLo1 = FX.cast(ByteVector.fromMemorySegment(B, copy, sc + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector scHi0 = FX.cast(ByteVector.fromMemorySegment(B, copy, sc + R, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector scHi1 = FX.cast(ByteVector.fromMemorySegment(B, copy, sc + R + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector mLo0 = FX.cast(ByteVector.fromMemorySegment(B, copy, mn, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector mLo1 = FX.cast(ByteVector.fromMemorySegment(B, copy, mn + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector mHi0 = FX.cast(ByteVector.fromMemorySegment(B, copy, mn + R, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    FloatVector mHi1 = FX.cast(ByteVector.fromMemorySegment(B, copy, mn + R + G, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0));
                    // Σ(q − 8)·xq: the −8·Σxq offset is the starting value. Exact modulo 2¹⁶, and the true
                    // sum fits (|Σ| ≤ 32·8·127): the wrap-around cancels.
                    ShortVector lo = ShortVector.broadcast(SR, (short) (-8 * in.sum[j]));
                    ShortVector hi = ShortVector.broadcast(SR, (short) (-8 * in.sum[j + 1]));
                    for (int l = 0; l < SUB - 1; l++, q += R) {
                        ShortVector v = SX.cast(ByteVector.fromMemorySegment(BR, copy, q, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2S, SR, 0));
                        lo = v.and((short) 0xF).mul(xq[c + l]).add(SX.cast(lo));
                        hi = v.lanewise(VectorOperators.LSHR, 4).mul(xq[c + l + SUB]).add(SX.cast(hi));
                    }
                    // The last column outside the loop, so the sums converted below are fresh vectors.
                    ShortVector v = SX.cast(ByteVector.fromMemorySegment(BR, copy, q, LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SR, 0));
                    ShortVector sumLo = v.and((short) 0xF).mul(xq[c + SUB - 1]).add(SX.cast(lo));
                    ShortVector sumHi = v.lanewise(VectorOperators.LSHR, 4).mul(xq[c + 2 * SUB - 1]).add(SX.cast(hi));
                    // dx·Σq·xq = dx·Σ(q − 8)·xq + 8·dx·Σxq, as one FMA.
                    float dxLo = in.scale[j];
                    float dxHi = in.scale[j + 1];
                    float xLo = dxLo * in.sum[j];
                    float xHi = dxHi * in.sum[j + 1];
                    FloatVector pLo0 = FX.cast(sumLo.convertShape(VectorOperators.S2F, F, 0)).fma(dxLo, 8 * xLo);
                    FloatVector pLo1 = FX.cast(sumLo.convertShape(VectorOperators.S2F, F, 1)).fma(dxLo, 8 * xLo);
                    FloatVector pHi0 = FX.cast(sumHi.convertShape(VectorOperators.S2F, F, 0)).fma(dxHi, 8 * xHi);
                    FloatVector pHi1 = FX.cast(sumHi.convertShape(VectorOperators.S2F, F, 1)).fma(dxHi, 8 * xHi);
                    scaled0 = pLo0.fma(scLo0, pHi0.fma(scHi0, FX.cast(scaled0)));
                    scaled1 = pLo1.fma(scLo1, pHi1.fma(scHi1, FX.cast(scaled1)));
                    mins0 = mLo0.fma(FloatVector.broadcast(F, xLo), mHi0.fma(FloatVector.broadcast(F, xHi), FX.cast(mins0)));
                    mins1 = mLo1.fma(FloatVector.broadcast(F, xLo), mHi1.fma(FloatVector.broadcast(F, xHi), FX.cast(mins1)));
                }
                acc0 = dmin0.fma(FX.cast(mins0), d0.fma(FX.cast(scaled0), FX.cast(acc0)));
                acc1 = dmin1.fma(FX.cast(mins1), d1.fma(FX.cast(scaled1), FX.cast(acc1)));
            }
            int o = outOff + g * R;
            FloatVector.zero(F).add(FX.cast(acc0)).intoArray(out, o);
            FloatVector.zero(F).add(FX.cast(acc1)).intoArray(out, o + G);
        }
    }

    @Override
    void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        MemorySegment copy = weights();
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        for (int g = g0; g < g1; g++) {
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
                for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                    FloatVector d = scales(copy, off + 4L * h);
                    FloatVector dmin = scales(copy, off + 4L * R + 4L * h);
                    for (int chunk = 0; chunk < 4; chunk++) {
                        int sub = 2 * chunk;
                        long sc = off + (long) scaleAt(sub) * R + h;
                        long mn = off + (long) minAt(sub) * R + h;
                        // d·sc·q − dmin·m as one FMA: q·k + (−m).
                        FloatVector kLo = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(d);
                        FloatVector kHi = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc + R, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(d);
                        FloatVector mLo = ((FloatVector) ByteVector.fromMemorySegment(B, copy, mn, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(dmin).neg();
                        FloatVector mHi = ((FloatVector) ByteVector.fromMemorySegment(B, copy, mn + R, LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).castShape(F, 0)).mul(dmin).neg();
                        long q = off + (long) quantAt(32 * chunk) * R + h;
                        int xc = b * BLOCK + 64 * chunk;
                        for (int l = 0; l < 32; l++, q += R) {
                            IntVector v = (IntVector) ByteVector.fromMemorySegment(B, copy, q, LE)
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
                int o = outOff + g * R + h;
                acc0.add(acc4).intoArray(out, o);
                acc1.add(acc5).intoArray(out, o + outStride);
                acc2.add(acc6).intoArray(out, o + 2 * outStride);
                acc3.add(acc7).intoArray(out, o + 3 * outStride);
            }
        }
    }
}
