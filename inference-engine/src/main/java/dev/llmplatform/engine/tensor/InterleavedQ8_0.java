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
 * Q8_0 interleaved: for each group and block of 32 columns, the G rows' scales (as F32), then the quants
 * by column pairs: for columns 2p and 2p + 1 a slice of 2G bytes, row i's two quants at bytes 2i and
 * 2i + 1 ({@link ColumnPairs}).
 *
 * <p>Decoding one input works in 16-bit integers, over the input quantized to 8 bits per block of 32
 * ({@link PairedInput}, as llama.cpp's q8_0 × q8_0 dot): a pair's slice sign-extends to one vector of
 * 16-bit lanes and is multiplied by {@code xq[2p]}, {@code xq[2p + 1]} broadcast to every lane pair. A
 * lane holds at most two products ({@code 2·128·127 < 2¹⁵}, exact), so two pairs' products are added in
 * 16 bits, then a row's two lanes in 32 bits; per block the 32-bit sum is converted and scaled by
 * {@code d·dx}. Per four columns and G rows that is 12 instructions where the float kernel spent 16
 * (a load, a widening, a conversion and an FMA per column): at 256 bits, where the decode is bound by
 * instructions, the difference shows. Several inputs at once (prompt processing) stay in floats.
 */
final class InterleavedQ8_0 extends InterleavedMatrix {
    private static final int BLOCK = 32;
    static final int FILE_BYTES = 34;
    /** F32 scale, then 32 quants: the scales are converted from F16 once, when packing. */
    static final int BYTES = Float.BYTES + BLOCK;
    /** 2G bytes (a column pair's slice) and 2G shorts (a full vector). */
    private static final VectorSpecies<Byte> B2 = VectorSpecies.of(byte.class, VectorShape.forBitSize(2 * G * 8));
    private static final VectorSpecies<Short> S2 = VectorSpecies.of(short.class, VectorShape.forBitSize(2 * G * 16));
    private static final ThreadLocal<PairedInput> INPUTS = ThreadLocal.withInitial(PairedInput::new);

    InterleavedQ8_0(int rows, int cols, ComputeResources resources) {
        super(rows, cols, BLOCK, BYTES, resources);
    }

    @Override
    void pack(byte[] src, byte[] dst) {
        for (int b = 0; b < blocks; b++) {
            int to = (int) (b * groupBlockBytes);
            for (int i = 0; i < G; i++) {
                int from = (i * blocks + b) * FILE_BYTES;
                putFloat(dst, to + 4 * i, f16(src, from));
                for (int j = 0; j < BLOCK; j++) {
                    dst[to + 4 * G + (j >> 1) * 2 * G + 2 * i + (j & 1)] = src[from + 2 + j];
                }
            }
        }
    }

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        MemorySegment copy = weights();
        long off = offset(g, b);
        FloatVector d = scales(copy, off);
        long q = off + 4L * G;
        for (int j = 0; j < BLOCK; j += 2, q += 2L * G) {
            IntVector v = ColumnPairs.asInts(copy, q);
            ColumnPairs.even(v).mul(d).intoArray(dst, dstOff + j * dstStride);
            ColumnPairs.odd(v).mul(d).intoArray(dst, dstOff + (j + 1) * dstStride);
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        PairedInput in = INPUTS.get();
        in.quantize(x, xOff, cols);
        // Two methods, each compiled on its own: one holding both loops outgrows C2's inlining budget,
        // and the vector operations it then leaves out run as slow Java fallbacks.
        int fours = g0 + (g1 - g0) / 4 * 4;
        multiplyFour(in, out, outOff, g0, fours);
        multiplyOne(in, out, outOff, fours, g1);
    }

    /**
     * Groups [g0, g1), a multiple of four, four at a time: each broadcast input pair feeds four groups.
     * Per block, four columns (two pairs) at a time: their 16-bit products added, then a row's two lanes
     * added into 32-bit sums. The offsets within a block are linear in the inner loop's counter: C2 then
     * takes the segment's bounds checks out of it (written out in full, each of the block's 64 loads kept
     * its check and the kernel was slower than the float one). No vector method is called on a vector
     * carried around a loop (see {@link InterleavedQ4K#multiply}).
     */
    private void multiplyFour(PairedInput in, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        long stride = groupBytes();
        int[] pairs = in.pairs;
        float[] dx = in.input.scale;
        for (int g = g0; g < g1; g += 4) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                IntVector i0 = IntVector.zero(I);
                IntVector i1 = IntVector.zero(I);
                IntVector i2 = IntVector.zero(I);
                IntVector i3 = IntVector.zero(I);
                for (int t = 0; t < BLOCK / 2; t += 2) {
                    int p = b * BLOCK / 2 + t;
                    long q = off + 4L * G + (long) t * 2 * G;
                    ShortVector xa = IntVector.broadcast(I, pairs[p]).reinterpretAsShorts();
                    ShortVector xb = IntVector.broadcast(I, pairs[p + 1]).reinterpretAsShorts();
                    IntVector v0 = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xa).add(((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 2 * G, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xb)).reinterpretAsInts();
                    IntVector v1 = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + stride, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xa).add(((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 2 * G + stride, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xb)).reinterpretAsInts();
                    IntVector v2 = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 2 * stride, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xa).add(((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 2 * G + 2 * stride, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xb)).reinterpretAsInts();
                    IntVector v3 = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 3 * stride, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xa).add(((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 2 * G + 3 * stride, LE).convertShape(VectorOperators.B2S, S2, 0)).mul(xb)).reinterpretAsInts();
                    i0 = v0.lanewise(VectorOperators.ASHR, 16).add(v0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).add(i0);
                    i1 = v1.lanewise(VectorOperators.ASHR, 16).add(v1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).add(i1);
                    i2 = v2.lanewise(VectorOperators.ASHR, 16).add(v2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).add(i2);
                    i3 = v3.lanewise(VectorOperators.ASHR, 16).add(v3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).add(i3);
                }
                // The block's exact Σq·xq per row, converted and scaled by d·dx.
                float scale = dx[b];
                acc0 = ((FloatVector) IntVector.zero(I).add(i0).castShape(F, 0)).fma(scales(copy, off).mul(scale), acc0);
                acc1 = ((FloatVector) IntVector.zero(I).add(i1).castShape(F, 0)).fma(scales(copy, off + stride).mul(scale), acc1);
                acc2 = ((FloatVector) IntVector.zero(I).add(i2).castShape(F, 0)).fma(scales(copy, off + 2 * stride).mul(scale), acc2);
                acc3 = ((FloatVector) IntVector.zero(I).add(i3).castShape(F, 0)).fma(scales(copy, off + 3 * stride).mul(scale), acc3);
            }
            int o = outOff + g * G;
            FloatVector.zero(F).add(acc0).intoArray(out, o);
            FloatVector.zero(F).add(acc1).intoArray(out, o + G);
            FloatVector.zero(F).add(acc2).intoArray(out, o + 2 * G);
            FloatVector.zero(F).add(acc3).intoArray(out, o + 3 * G);
        }
    }

    /** The groups past the last four, one at a time, as {@link #multiplyFour}, the pairs in a loop. */
    private void multiplyOne(PairedInput in, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        int[] pairs = in.pairs;
        float[] dx = in.input.scale;
        for (int g = g0; g < g1; g++) {
            FloatVector acc = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int b = 0; b < blocks; b++, off += groupBlockBytes) {
                int p = b * BLOCK / 2;
                long q = off + 4L * G;
                IntVector v = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, q, LE).convertShape(VectorOperators.B2S, S2, 0))
                        .mul(IntVector.broadcast(I, pairs[p]).reinterpretAsShorts())
                        .add(((ShortVector) ByteVector.fromMemorySegment(B2, copy, q + 2 * G, LE).convertShape(VectorOperators.B2S, S2, 0))
                                .mul(IntVector.broadcast(I, pairs[p + 1]).reinterpretAsShorts())).reinterpretAsInts();
                IntVector sum = v.lanewise(VectorOperators.ASHR, 16).add(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
                for (int t = 2; t < BLOCK / 2; t += 2) {
                    long qt = q + (long) t * 2 * G;
                    IntVector w = ((ShortVector) ByteVector.fromMemorySegment(B2, copy, qt, LE).convertShape(VectorOperators.B2S, S2, 0))
                            .mul(IntVector.broadcast(I, pairs[p + t]).reinterpretAsShorts())
                            .add(((ShortVector) ByteVector.fromMemorySegment(B2, copy, qt + 2 * G, LE).convertShape(VectorOperators.B2S, S2, 0))
                                    .mul(IntVector.broadcast(I, pairs[p + t + 1]).reinterpretAsShorts())).reinterpretAsInts();
                    sum = w.lanewise(VectorOperators.ASHR, 16).add(w.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)).add(sum);
                }
                acc = ((FloatVector) IntVector.zero(I).add(sum).castShape(F, 0)).fma(scales(copy, off).mul(dx[b]), acc);
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
                long q = off + 4L * G;
                for (int j = 0; j < BLOCK; j += 2, q += 2L * G) {
                    IntVector v = ColumnPairs.asInts(copy, q);
                    FloatVector w0 = ColumnPairs.even(v).mul(d);
                    FloatVector w1 = ColumnPairs.odd(v).mul(d);
                    int e = c + j;
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
            int o = outOff + g * G;
            acc0.add(acc4).intoArray(out, o);
            acc1.add(acc5).intoArray(out, o + outStride);
            acc2.add(acc6).intoArray(out, o + 2 * outStride);
            acc3.add(acc7).intoArray(out, o + 3 * outStride);
        }
    }

    @Override
    void multiply8(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        MemorySegment copy = weights();
        // Eight inputs per decoded column: three instructions to decode and scale, eight FMAs.
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        int x4 = x3 + cols;
        int x5 = x4 + cols;
        int x6 = x5 + cols;
        int x7 = x6 + cols;
        for (int g = g0; g < g1; g++) {
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
                long q = off + 4L * G;
                for (int j = 0; j < BLOCK; j += 2, q += 2L * G) {
                    IntVector v = ColumnPairs.asInts(copy, q);
                    FloatVector w = ColumnPairs.even(v).mul(d);
                    FloatVector u = ColumnPairs.odd(v).mul(d);
                    int e = c + j;
                    acc0 = w.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                    acc1 = w.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                    acc2 = w.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                    acc3 = w.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                    acc4 = w.fma(FloatVector.broadcast(F, x[x4 + e]), acc4);
                    acc5 = w.fma(FloatVector.broadcast(F, x[x5 + e]), acc5);
                    acc6 = w.fma(FloatVector.broadcast(F, x[x6 + e]), acc6);
                    acc7 = w.fma(FloatVector.broadcast(F, x[x7 + e]), acc7);
                    acc0 = u.fma(FloatVector.broadcast(F, x[xOff + e + 1]), acc0);
                    acc1 = u.fma(FloatVector.broadcast(F, x[x1 + e + 1]), acc1);
                    acc2 = u.fma(FloatVector.broadcast(F, x[x2 + e + 1]), acc2);
                    acc3 = u.fma(FloatVector.broadcast(F, x[x3 + e + 1]), acc3);
                    acc4 = u.fma(FloatVector.broadcast(F, x[x4 + e + 1]), acc4);
                    acc5 = u.fma(FloatVector.broadcast(F, x[x5 + e + 1]), acc5);
                    acc6 = u.fma(FloatVector.broadcast(F, x[x6 + e + 1]), acc6);
                    acc7 = u.fma(FloatVector.broadcast(F, x[x7 + e + 1]), acc7);
                }
            }
            int o = outOff + g * G;
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
