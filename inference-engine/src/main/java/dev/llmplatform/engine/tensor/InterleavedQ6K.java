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
 * 2i and 2i + 1. With 512-bit vectors a decode pass takes four groups, each broadcast input pair feeding
 * four vectors (four streams a group apart); below, one group at a time, front to back (one stream), which
 * decoded faster there. The same four slices side by side in one group (one stream of 8G bytes a pair, as
 * Q8_0 at 256 bits) decoded slower at both widths (docs/benchmarks.md, k610).
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
    /**
     * The exact classes of the decode's vectors. {@code FX.cast(v)} (a C2 intrinsic) proves a vector's class where C2
     * would otherwise take it from the Vector API's process-wide type profiles: the decode kernels outgrow C2's
     * parse-time inlining budget, and past it, calls on a vector known only as {@code IntVector} were bound through
     * those profiles (in {@link #multiplyFour}, {@code add} stayed virtual, boxing, in 15 of 16 fresh processes:
     * docs/benchmarks.md, "The JIT collapse"), and species checks stayed unfolded or not depending on them
     * ("Q4_K decode: two compile shapes"). So every vector a call is made on, or passed to one, is cast: a cast only
     * on conversion results and accumulators left the 28 {@code add}s on the products virtual in two of four
     * processes at 512 bits (docs/benchmarks.md, k611).
     */
    private static final Class<? extends FloatVector> FX = FloatVector.zero(F).getClass();
    private static final Class<? extends ShortVector> SX = ShortVector.zero(S2).getClass();
    private static final Class<? extends ByteVector> BX = ByteVector.zero(B).getClass();
    private static final Class<? extends ByteVector> BX2 = ByteVector.zero(B2).getClass();
    private static final Class<? extends IntVector> INT_EXACT = IntVector.zero(I).getClass();
    private static final ThreadLocal<PairedInput> INPUTS = ThreadLocal.withInitial(PairedInput::new);
    /** Groups per decode pass: four with 512-bit vectors, one below (see the class doc). */
    private static final int PASS = G >= 16 ? 4 : 1;

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
        // Two methods, each compiled on its own: one holding both loops outgrows C2's inlining budget,
        // and the vector operations it then leaves out run as slow Java fallbacks.
        int fours = PASS == 4 ? g0 + (g1 - g0) / 4 * 4 : g0;
        multiplyFour(in, out, outOff, g0, fours);
        multiplyOne(in, out, outOff, fours, g1);
    }

    /**
     * Groups [g0, g1), a multiple of four, four at a time: each broadcast input pair feeds four groups.
     * Written out in full: with the loads, unpairing and scaling in helper methods, C2 left many of
     * their calls out ("callee uses too much stack") and the kernel ran ten times slower. No vector
     * method is called on a vector carried around a loop (see {@link InterleavedQ4K#multiply}), and every
     * vector a method is called on, or passed to one, is first cast to its exact class (see {@link #FX}).
     */
    private void multiplyFour(PairedInput in, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        long stride = groupBytes();
        int[] pairs = in.pairs;
        float[] dx = in.input.scale;
        for (int g = g0; g < g1; g += 4) {
            FloatVector acc0 = FX.cast(FloatVector.zero(F));
            FloatVector acc1 = FX.cast(FloatVector.zero(F));
            FloatVector acc2 = FX.cast(FloatVector.zero(F));
            FloatVector acc3 = FX.cast(FloatVector.zero(F));
            long off = offset(g, 0);
            for (int c = 0; c < cols; c += BLOCK, off += groupBlockBytes) {
                // The rows' d, read once per super-block.
                FloatVector d0 = FX.cast(scales(copy, off));
                FloatVector d1 = FX.cast(scales(copy, off + stride));
                FloatVector d2 = FX.cast(scales(copy, off + 2 * stride));
                FloatVector d3 = FX.cast(scales(copy, off + 3 * stride));
                for (int j = 0; j < 16; j++) {
                    // d·dx·sc per row, before the values, in memory order.
                    float scale = dx[(c + SUB * j) / INPUT_BLOCK];
                    long sc = off + (long) (SCALES_AT + j) * G;
                    FloatVector k0 = FX.cast(FX.cast(BX.cast(ByteVector.fromMemorySegment(B, copy, sc, LE)).castShape(F, 0)).mul(FX.cast(d0.mul(scale))));
                    FloatVector k1 = FX.cast(FX.cast(BX.cast(ByteVector.fromMemorySegment(B, copy, sc + stride, LE)).castShape(F, 0)).mul(FX.cast(d1.mul(scale))));
                    FloatVector k2 = FX.cast(FX.cast(BX.cast(ByteVector.fromMemorySegment(B, copy, sc + 2 * stride, LE)).castShape(F, 0)).mul(FX.cast(d2.mul(scale))));
                    FloatVector k3 = FX.cast(FX.cast(BX.cast(ByteVector.fromMemorySegment(B, copy, sc + 3 * stride, LE)).castShape(F, 0)).mul(FX.cast(d3.mul(scale))));
                    int p = (c + SUB * j) / 2;
                    long q = off + (long) (VALUES_AT + SUB * j) * G;
                    // The sub-block's 8 column pairs written out: as a loop, C2 wrapped them in pre- and post-loops
                    // with stack traffic around each sub-block. The last pair makes fresh vectors (v0…v3).
                    ShortVector x0 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p])).reinterpretAsShorts());
                    ShortVector s0 = SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x0));
                    ShortVector s1 = SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x0));
                    ShortVector s2 = SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x0));
                    ShortVector s3 = SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x0));
                    ShortVector x1 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 1])).reinterpretAsShorts());
                    s0 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 2 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x1)).add(s0));
                    s1 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 2 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x1)).add(s1));
                    s2 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 2 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x1)).add(s2));
                    s3 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 2 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x1)).add(s3));
                    ShortVector x2 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 2])).reinterpretAsShorts());
                    s0 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 4 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x2)).add(s0));
                    s1 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 4 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x2)).add(s1));
                    s2 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 4 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x2)).add(s2));
                    s3 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 4 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x2)).add(s3));
                    ShortVector x3 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 3])).reinterpretAsShorts());
                    s0 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 6 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x3)).add(s0));
                    s1 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 6 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x3)).add(s1));
                    s2 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 6 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x3)).add(s2));
                    s3 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 6 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x3)).add(s3));
                    ShortVector x4 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 4])).reinterpretAsShorts());
                    s0 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 8 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x4)).add(s0));
                    s1 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 8 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x4)).add(s1));
                    s2 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 8 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x4)).add(s2));
                    s3 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 8 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x4)).add(s3));
                    ShortVector x5 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 5])).reinterpretAsShorts());
                    s0 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 10 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x5)).add(s0));
                    s1 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 10 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x5)).add(s1));
                    s2 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 10 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x5)).add(s2));
                    s3 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 10 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x5)).add(s3));
                    ShortVector x6 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 6])).reinterpretAsShorts());
                    s0 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 12 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x6)).add(s0));
                    s1 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 12 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x6)).add(s1));
                    s2 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 12 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x6)).add(s2));
                    s3 = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 12 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x6)).add(s3));
                    ShortVector x7 = SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + 7])).reinterpretAsShorts());
                    IntVector v0 = INT_EXACT.cast(SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 14 * G, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x7)).add(s0)).reinterpretAsInts());
                    IntVector v1 = INT_EXACT.cast(SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 14 * G + stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x7)).add(s1)).reinterpretAsInts());
                    IntVector v2 = INT_EXACT.cast(SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 14 * G + 2 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x7)).add(s2)).reinterpretAsInts());
                    IntVector v3 = INT_EXACT.cast(SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + 14 * G + 3 * stride, LE)).convertShape(VectorOperators.B2S, S2, 0)).mul(x7)).add(s3)).reinterpretAsInts());
                    // A row's two lanes, sign-extended and added: its exact sub-block sum.
                    acc0 = FX.cast(FX.cast(INT_EXACT.cast(INT_EXACT.cast(v0.lanewise(VectorOperators.ASHR, 16))
                            .add(INT_EXACT.cast(INT_EXACT.cast(v0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16))))
                            .castShape(F, 0)).fma(k0, acc0));
                    acc1 = FX.cast(FX.cast(INT_EXACT.cast(INT_EXACT.cast(v1.lanewise(VectorOperators.ASHR, 16))
                            .add(INT_EXACT.cast(INT_EXACT.cast(v1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16))))
                            .castShape(F, 0)).fma(k1, acc1));
                    acc2 = FX.cast(FX.cast(INT_EXACT.cast(INT_EXACT.cast(v2.lanewise(VectorOperators.ASHR, 16))
                            .add(INT_EXACT.cast(INT_EXACT.cast(v2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16))))
                            .castShape(F, 0)).fma(k2, acc2));
                    acc3 = FX.cast(FX.cast(INT_EXACT.cast(INT_EXACT.cast(v3.lanewise(VectorOperators.ASHR, 16))
                            .add(INT_EXACT.cast(INT_EXACT.cast(v3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16))))
                            .castShape(F, 0)).fma(k3, acc3));
                }
            }
            int o = outOff + g * G;
            FX.cast(FX.cast(FloatVector.zero(F)).add(acc0)).intoArray(out, o);
            FX.cast(FX.cast(FloatVector.zero(F)).add(acc1)).intoArray(out, o + G);
            FX.cast(FX.cast(FloatVector.zero(F)).add(acc2)).intoArray(out, o + 2 * G);
            FX.cast(FX.cast(FloatVector.zero(F)).add(acc3)).intoArray(out, o + 3 * G);
        }
    }

    /**
     * Groups [g0, g1), one at a time (below 512 bits, and the groups after the last four). A sub-block's first
     * and last pair sit outside the pair loop, so that the loop carries a vector in and the last pair makes a
     * fresh one; no vector method is called on a vector carried around a loop (see {@link InterleavedQ4K#multiply}).
     * Casts as in {@link #multiplyFour}.
     */
    private void multiplyOne(PairedInput in, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        int[] pairs = in.pairs;
        float[] dx = in.input.scale;
        for (int g = g0; g < g1; g++) {
            FloatVector acc = FX.cast(FloatVector.zero(F));
            long off = offset(g, 0);
            for (int c = 0; c < cols; c += BLOCK, off += groupBlockBytes) {
                // The rows' d, read once per super-block.
                FloatVector d = FX.cast(scales(copy, off));
                for (int j = 0; j < 16; j++) {
                    // d·dx·sc per row, before the values, in memory order.
                    float scale = dx[(c + SUB * j) / INPUT_BLOCK];
                    FloatVector k = FX.cast(FX.cast(BX.cast(ByteVector.fromMemorySegment(B, copy, off + (long) (SCALES_AT + j) * G, LE)).castShape(F, 0)).mul(FX.cast(d.mul(scale))));
                    int p = (c + SUB * j) / 2;
                    long q = off + (long) (VALUES_AT + SUB * j) * G;
                    ShortVector s = SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q, LE)).convertShape(VectorOperators.B2S, S2, 0))
                            .mul(SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p])).reinterpretAsShorts())));
                    for (int l = 1; l < PAIRS - 1; l++) {
                        s = SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + (long) l * 2 * G, LE)).convertShape(VectorOperators.B2S, S2, 0))
                                .mul(SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + l])).reinterpretAsShorts()))).add(s));
                    }
                    IntVector v = INT_EXACT.cast(SX.cast(SX.cast(SX.cast(BX2.cast(ByteVector.fromMemorySegment(B2, copy, q + (long) (PAIRS - 1) * 2 * G, LE)).convertShape(VectorOperators.B2S, S2, 0))
                            .mul(SX.cast(INT_EXACT.cast(IntVector.broadcast(I, pairs[p + PAIRS - 1])).reinterpretAsShorts()))).add(s)).reinterpretAsInts());
                    // A row's two lanes, sign-extended and added: its exact sub-block sum.
                    acc = FX.cast(FX.cast(INT_EXACT.cast(INT_EXACT.cast(v.lanewise(VectorOperators.ASHR, 16))
                            .add(INT_EXACT.cast(INT_EXACT.cast(v.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16))))
                            .castShape(F, 0)).fma(k, acc));
                }
            }
            FX.cast(FX.cast(FloatVector.zero(F)).add(acc)).intoArray(out, outOff + g * G);
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
