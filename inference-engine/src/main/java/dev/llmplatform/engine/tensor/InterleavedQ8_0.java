package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * Q8_0 interleaved, groups of R = {@link #SLICES}·G rows: for each group and block of 32 columns, the R rows'
 * scales (as F32), then 32 slices of R quants, slice j holding column j of every row in the group. One column
 * of G rows is one load, one sign-extending conversion to floats and one FMA against the broadcast input.
 */
final class InterleavedQ8_0 extends InterleavedMatrix {
    private static final int BLOCK = 32;
    static final int FILE_BYTES = 34;
    /** F32 scale, then 32 quants: the scales are converted from F16 once, when packing. */
    static final int BYTES = Float.BYTES + BLOCK;
    /**
     * Slices of G rows side by side in a group. A decode pass takes four slices, each broadcast input feeding four
     * vectors: with 256-bit vectors (and narrower) they are one group's, so the pass reads the copy as one stream,
     * 32 bytes a column; with 512-bit vectors four groups' of G rows, four streams a group apart. Measured both
     * ways on the 1B-shaped Q8_0 file (decode steps after prompts, tokens per CPU-second): at 256 bits one stream
     * 14.2–14.4 against 10.7 for four, at 512 bits four streams 14.7–16.0 against 8.3–8.9 for one stream of 64
     * bytes a column (docs/benchmarks.md). Why the wider single stream reads slower was not pinned down.
     */
    static final int SLICES = G >= 16 ? 1 : 4;
    private static final int R = SLICES * G;
    /**
     * The exact class of the decode's float vectors. {@code FX.cast(v)} (a C2 intrinsic) proves a vector's class
     * where C2 could otherwise take it from the Vector API's process-wide type profiles (conversion results,
     * accumulators carried around a loop, a helper's result), as in InterleavedQ4K.multiply, whose compiled
     * shape depended on those profiles (docs/benchmarks.md, "Q4_K decode: two compile shapes").
     */
    private static final Class<? extends FloatVector> FX = FloatVector.zero(F).getClass();

    InterleavedQ8_0(int rows, int cols, ComputeResources resources) {
        super(rows, cols, BLOCK, BYTES, R, resources);
    }

    @Override
    void pack(byte[] src, byte[] dst) {
        for (int b = 0; b < blocks; b++) {
            int to = (int) (b * groupBlockBytes);
            for (int i = 0; i < R; i++) {
                int from = (i * blocks + b) * FILE_BYTES;
                putFloat(dst, to + 4 * i, f16(src, from));
                for (int j = 0; j < BLOCK; j++) {
                    dst[to + 4 * R + j * R + i] = src[from + 2 + j];
                }
            }
        }
    }

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        for (int h = 0; h < R; h += G) {
            dequantize(g, h, b, dst, dstOff + h, dstStride);
        }
    }

    /** A slice of G rows at a time: a group of 4G rows (256-bit vectors) is wider than a prompt panel. */
    @Override
    int dequantizeRows() {
        return G;
    }

    @Override
    void dequantize(int g, int h, int b, float[] dst, int dstOff, int dstStride) {
        MemorySegment copy = weights();
        long off = offset(g, b);
        FloatVector d = scales(copy, off + 4L * h);
        long q = off + 4L * R + h;
        for (int j = 0; j < BLOCK; j++, q += R) {
            ((FloatVector) ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0)).mul(d)
                    .intoArray(dst, dstOff + j * dstStride);
        }
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        // Two methods, each compiled on its own: one holding both loops outgrows C2's inlining budget,
        // and the vector operations it then leaves out run as slow Java fallbacks.
        int perPass = 4 / SLICES;
        int whole = g0 + (g1 - g0) / perPass * perPass;
        multiplyFour(x, xOff, out, outOff, g0, whole);
        multiplyOne(x, xOff, out, outOff, whole, g1);
    }

    /**
     * Four slices of G rows per pass ({@link #SLICES} side by side in each of 4 / SLICES groups): each broadcast
     * input feeds four vectors.
     */
    private void multiplyFour(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        // Where slice k's scales and quants sit, from its group's block: in the next group, or beside the slice before.
        long scale1 = sliceScales(1), scale2 = sliceScales(2), scale3 = sliceScales(3);
        long quant1 = sliceQuants(1), quant2 = sliceQuants(2), quant3 = sliceQuants(3);
        for (int g = g0; g < g1; g += 4 / SLICES) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int c = xOff, end = xOff + cols; c < end; c += BLOCK, off += groupBlockBytes) {
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F);
                FloatVector s3 = FloatVector.zero(F);
                // Scales first: they open the block in memory (read last, they cost a third more time).
                FloatVector d0 = FX.cast(scales(copy, off));
                FloatVector d1 = FX.cast(scales(copy, off + scale1));
                FloatVector d2 = FX.cast(scales(copy, off + scale2));
                FloatVector d3 = FX.cast(scales(copy, off + scale3));
                long q = off + 4L * R;
                for (int j = 0; j < BLOCK; j++, q += R) {
                    FloatVector xv = FloatVector.broadcast(F, x[c + j]);
                    s0 = FX.cast(ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0)).fma(xv, FX.cast(s0));
                    s1 = FX.cast(ByteVector.fromMemorySegment(B, copy, q + quant1, LE).castShape(F, 0)).fma(xv, FX.cast(s1));
                    s2 = FX.cast(ByteVector.fromMemorySegment(B, copy, q + quant2, LE).castShape(F, 0)).fma(xv, FX.cast(s2));
                    s3 = FX.cast(ByteVector.fromMemorySegment(B, copy, q + quant3, LE).castShape(F, 0)).fma(xv, FX.cast(s3));
                }
                acc0 = FX.cast(s0).fma(d0, FX.cast(acc0));
                acc1 = FX.cast(s1).fma(d1, FX.cast(acc1));
                acc2 = FX.cast(s2).fma(d2, FX.cast(acc2));
                acc3 = FX.cast(s3).fma(d3, FX.cast(acc3));
            }
            // Slice k's rows follow slice k − 1's, whether in the same group or the next.
            int o = outOff + g * R;
            FX.cast(acc0).intoArray(out, o);
            FX.cast(acc1).intoArray(out, o + G);
            FX.cast(acc2).intoArray(out, o + 2 * G);
            FX.cast(acc3).intoArray(out, o + 3 * G);
        }
    }

    private long sliceScales(int k) {
        return k / SLICES * groupBytes() + 4L * G * (k % SLICES);
    }

    private long sliceQuants(int k) {
        return k / SLICES * groupBytes() + (long) G * (k % SLICES);
    }

    /** Groups one at a time, one slice after another: the groups after the last whole pass. */
    private void multiplyOne(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        for (int slice = g0 * SLICES; slice < g1 * SLICES; slice++) {
            int g = slice / SLICES;
            int h = slice % SLICES * G;
            FloatVector acc = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int c = xOff, end = xOff + cols; c < end; c += BLOCK, off += groupBlockBytes) {
                // Two accumulators: consecutive columns do not wait on each other's FMA.
                long q = off + 4L * R + h;
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = FloatVector.zero(F);
                for (int j = 0; j < BLOCK; j += 2, q += 2L * R) {
                    s0 = FX.cast(ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0))
                            .fma(FloatVector.broadcast(F, x[c + j]), FX.cast(s0));
                    s1 = FX.cast(ByteVector.fromMemorySegment(B, copy, q + R, LE).castShape(F, 0))
                            .fma(FloatVector.broadcast(F, x[c + j + 1]), FX.cast(s1));
                }
                acc = FX.cast(s0).add(FX.cast(s1)).fma(FX.cast(scales(copy, off + 4L * h)), FX.cast(acc));
            }
            FX.cast(acc).intoArray(out, outOff + g * R + h);
        }
    }

    @Override
    void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        MemorySegment copy = weights();
        int x1 = xOff + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        // One slice of G rows of a group at a time: the group's R rows are four such slices side by side.
        for (int slice = g0 * SLICES; slice < g1 * SLICES; slice++) {
            int g = slice / SLICES;
            int h = slice % SLICES * G;
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
                FloatVector d = scales(copy, off + 4L * h);
                long q = off + 4L * R + h;
                for (int j = 0; j < BLOCK; j += 2, q += 2L * R) {
                    FloatVector w0 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0)).mul(d);
                    FloatVector w1 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q + R, LE).castShape(F, 0)).mul(d);
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
            int o = outOff + g * R + h;
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
        // One slice of G rows of a group at a time: the group's R rows are four such slices side by side.
        for (int slice = g0 * SLICES; slice < g1 * SLICES; slice++) {
            int g = slice / SLICES;
            int h = slice % SLICES * G;
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
                FloatVector d = scales(copy, off + 4L * h);
                long q = off + 4L * R + h;
                for (int j = 0; j < BLOCK; j++, q += R) {
                    FloatVector w = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0)).mul(d);
                    int e = c + j;
                    acc0 = w.fma(FloatVector.broadcast(F, x[xOff + e]), acc0);
                    acc1 = w.fma(FloatVector.broadcast(F, x[x1 + e]), acc1);
                    acc2 = w.fma(FloatVector.broadcast(F, x[x2 + e]), acc2);
                    acc3 = w.fma(FloatVector.broadcast(F, x[x3 + e]), acc3);
                    acc4 = w.fma(FloatVector.broadcast(F, x[x4 + e]), acc4);
                    acc5 = w.fma(FloatVector.broadcast(F, x[x5 + e]), acc5);
                    acc6 = w.fma(FloatVector.broadcast(F, x[x6 + e]), acc6);
                    acc7 = w.fma(FloatVector.broadcast(F, x[x7 + e]), acc7);
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
