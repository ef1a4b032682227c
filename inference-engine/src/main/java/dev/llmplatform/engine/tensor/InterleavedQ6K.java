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
 * Q6_K interleaved, with its 6-bit values widened to bytes. A Q6_K super-block of 256 columns stores,
 * per row, the values' low nibbles ({@code ql}) and high 2 bits ({@code qh}) apart, 16 signed 8-bit
 * sub-block scales and an F16 {@code d}; the value at a column is {@code d·sc[col/16]·(q − 32)}.
 * Putting a 6-bit value back together takes a dozen vector instructions, which kept Q6_K decoding at
 * a third of memory speed, so the copy stores {@code q − 32} as a signed byte instead: 276 bytes per
 * super-block and row where the file has 210 (1.3×). Q6_K is rarely more than the output matrix and a
 * few others in a model.
 *
 * <p>Per group and super-block: the G d's (as F32), then for each of the 16 sub-blocks the G scales, then
 * the values by column pairs: for columns 2p and 2p + 1 a slice of 2G bytes, row i's two values at bytes
 * 2i and 2i + 1. The decode runs one group at a time, front to back, so that it reads the copy as one
 * stream: four groups per pass (each broadcast input pair feeding four vectors) read four streams a
 * group apart, and the same four slices side by side in one group (one stream of 8G bytes a pair) read
 * slower still (docs/benchmarks.md, k610).
 *
 * <p>The pairs are for decoding one input in 16-bit integers: the input is quantized to 8 bits per block
 * of 32 and taken by pairs ({@link PairedInput}), a pair's slice sign-extends to one vector of 16-bit lanes, and meets
 * {@code xq[2p]}, {@code xq[2p + 1]} broadcast to every lane pair in one multiply and one add. A whole
 * sub-block's {@code Σ(q − 32)·xq} can reach 16·32·127, which 16 bits do not hold, but each lane sums
 * only 8 of its 16 products ({@code |Σ| ≤ 8·32·127}), exactly; the two lanes of a row are added in 32
 * bits once per sub-block. Each column then costs half an integer multiply and add per G rows where the
 * float kernel spent a conversion and an FMA per G rows (which at 256 bits is what bounds the decode).
 * The product is that of the quantized input, as llama.cpp's Q6_K × Q8_K dot; prompt kernels (several
 * inputs) stay in floats.
 */
final class InterleavedQ6K extends InterleavedMatrix {
    private static final int BLOCK = 256;
    static final int FILE_BYTES = 210;
    private static final int SUB = 16;
    /** Column pairs per sub-block. */
    private static final int PAIRS = SUB / 2;
    private static final int INPUT_BLOCK = QuantizedInput.BLOCK;
    /** Offsets, in units of G bytes, within a group's block. */
    private static final int SCALES_AT = 4;
    private static final int VALUES_AT = SCALES_AT + 16;
    static final int BYTES = VALUES_AT + BLOCK;
    /** 2G bytes (a column pair's slice) and 2G shorts (a full vector). */
    private static final VectorSpecies<Byte> B2 = VectorSpecies.of(byte.class, VectorShape.forBitSize(2 * G * 8));
    private static final VectorSpecies<Short> S2 = VectorSpecies.of(short.class, VectorShape.forBitSize(2 * G * 16));
    private static final ThreadLocal<PairedInput> INPUTS = ThreadLocal.withInitial(PairedInput::new);

    InterleavedQ6K(int rows, int cols, ComputeResources resources) {
        super(rows, cols, BLOCK, BYTES, resources);
    }

    @Override
    void pack(byte[] src, byte[] dst) {
        for (int b = 0; b < blocks; b++) {
            int to = (int) (b * groupBlockBytes);
            for (int i = 0; i < G; i++) {
                int from = (i * blocks + b) * FILE_BYTES;
                // File order: ql[128], qh[64], scales[16], d.
                putFloat(dst, to + 4 * i, f16(src, from + 208));
                for (int j = 0; j < 16; j++) {
                    dst[to + (SCALES_AT + j) * G + i] = src[from + 192 + j];
                }
                // In each 128-column half, ql[l], ql[l+32] and qh[l] hold columns l, l+32, l+64, l+96.
                for (int half = 0; half < 2; half++) {
                    for (int l = 0; l < 32; l++) {
                        int a = src[from + 64 * half + l] & 0xFF;
                        int c = src[from + 64 * half + l + 32] & 0xFF;
                        int h = src[from + 128 + 32 * half + l] & 0xFF;
                        int col = 128 * half + l;
                        putValue(dst, to, col, i, (a & 0xF) | (h & 3) << 4);
                        putValue(dst, to, col + 32, i, (c & 0xF) | (h >> 2 & 3) << 4);
                        putValue(dst, to, col + 64, i, (a >>> 4) | (h >> 4 & 3) << 4);
                        putValue(dst, to, col + 96, i, (c >>> 4) | (h >> 6 & 3) << 4);
                    }
                }
            }
        }
    }

    private static void putValue(byte[] dst, int block, int col, int row, int q) {
        dst[block + VALUES_AT * G + (col >> 1) * 2 * G + 2 * row + (col & 1)] = (byte) (q - 32);
    }

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        MemorySegment copy = weights();
        long off = offset(g, b);
        FloatVector d = scales(copy, off);
        for (int j = 0; j < 16; j++) {
            FloatVector k = ((FloatVector) ByteVector.fromMemorySegment(B, copy, off + (long) (SCALES_AT + j) * G, LE)
                    .castShape(F, 0)).mul(d);
            long q = off + (long) (VALUES_AT + SUB * j) * G;
            int o = dstOff + SUB * j * dstStride;
            for (int l = 0; l < SUB; l += 2, q += 2L * G, o += 2 * dstStride) {
                // The pair widened as the decode widens it, read as one int per row (odd column·2¹⁶ + even
                // column), split by shifts. The same vector shapes as the decode on purpose: C2 binds the
                // Vector API's calls by type profiles that every caller shares, and with this loop reading a
                // pair as 128-bit shorts widened to ints (as it once did), the decode compiled after a prompt
                // came out a fifth of its size and was recompiled on each prompt (docs/benchmarks.md, k610).
                IntVector v = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q, LE).convertShape(VectorOperators.B2S, S2, 0)).reinterpretAsInts();
                ((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).castShape(F, 0)).mul(k).intoArray(dst, o);
                ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).castShape(F, 0)).mul(k).intoArray(dst, o + dstStride);
            }
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        PairedInput in = INPUTS.get();
        in.quantize(x, xOff, cols);
        decode(in, out, outOff, g0, g1);
    }

    /**
     * Groups [g0, g1), one at a time. A sub-block's first and last pair sit outside the pair loop, so that
     * the loop carries a vector in and the last pair makes a fresh one; no vector method is called on a
     * vector carried around a loop (see {@link InterleavedQ4K#multiply}).
     */
    private void decode(PairedInput in, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        int[] pairs = in.pairs;
        float[] dx = in.input.scale;
        for (int g = g0; g < g1; g++) {
            FloatVector acc = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int c = 0; c < cols; c += BLOCK, off += groupBlockBytes) {
                for (int j = 0; j < 16; j++) {
                    // d·dx·sc per row, before the values, in memory order.
                    FloatVector k = ((FloatVector) ByteVector.fromMemorySegment(B, copy, off + (long) (SCALES_AT + j) * G, LE)
                            .castShape(F, 0)).mul(scales(copy, off).mul(dx[(c + SUB * j) / INPUT_BLOCK]));
                    int p = (c + SUB * j) / 2;
                    long q = off + (long) (VALUES_AT + SUB * j) * G;
                    ShortVector s = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q, LE).convertShape(VectorOperators.B2S, S2, 0))
                            .mul(IntVector.broadcast(I, pairs[p]).reinterpretAsShorts());
                    for (int l = 1; l < PAIRS - 1; l++) {
                        s = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + (long) l * 2 * G, LE).convertShape(VectorOperators.B2S, S2, 0))
                                .mul(IntVector.broadcast(I, pairs[p + l]).reinterpretAsShorts()).add(s);
                    }
                    IntVector v = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + (long) (PAIRS - 1) * 2 * G, LE).convertShape(VectorOperators.B2S, S2, 0))
                            .mul(IntVector.broadcast(I, pairs[p + PAIRS - 1]).reinterpretAsShorts()).add(s).reinterpretAsInts();
                    // A row's two lanes, sign-extended and added: its exact sub-block sum.
                    acc = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).castShape(F, 0)).fma(k, acc);
                }
            }
            FloatVector.zero(F).add(acc).intoArray(out, outOff + g * G);
        }
    }

    @Override
    void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        MemorySegment copy = weights();
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        for (int g = g0; g < g1; g++) {
            // Two accumulators per input, for even and odd columns: eight independent FMA chains.
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
                FloatVector d = scales(copy, off);
                for (int j = 0; j < 16; j++) {
                    FloatVector k = ((FloatVector) ByteVector.fromMemorySegment(B, copy, off + (long) (SCALES_AT + j) * G, LE)
                            .castShape(F, 0)).mul(d);
                    long q = off + (long) (VALUES_AT + SUB * j) * G;
                    for (int l = 0; l < SUB; l += 2, q += 2L * G) {
                        // The pair as one int per row, as in dequantize.
                        IntVector v = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q, LE).convertShape(VectorOperators.B2S, S2, 0)).reinterpretAsInts();
                        FloatVector w0 = ((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).castShape(F, 0)).mul(k);
                        FloatVector w1 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).castShape(F, 0)).mul(k);
                        int e = c + SUB * j + l;
                        acc0 = w0.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                        acc1 = w0.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                        acc2 = w0.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                        acc3 = w0.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                        acc4 = w1.fma(FloatVector.broadcast(F, x[xOff + e + 1]), acc4);
                        acc5 = w1.fma(FloatVector.broadcast(F, x[x1 + e + 1]), acc5);
                        acc6 = w1.fma(FloatVector.broadcast(F, x[x2 + e + 1]), acc6);
                        acc7 = w1.fma(FloatVector.broadcast(F, x[x3 + e + 1]), acc7);
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
