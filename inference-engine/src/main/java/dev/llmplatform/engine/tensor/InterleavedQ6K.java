package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.B;
import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * Q6_K interleaved, with its 6-bit values widened to bytes. A Q6_K super-block of 256 columns stores,
 * per row, the values' low nibbles ({@code ql}) and high 2 bits ({@code qh}) apart, 16 signed 8-bit
 * sub-block scales and an F16 {@code d}; the value at a column is {@code d·sc[col/16]·(q − 32)}.
 * Putting a 6-bit value back together takes a dozen vector instructions, which kept Q6_K decoding at
 * a third of memory speed, so the copy stores {@code q − 32} as a signed byte instead: 276 bytes per
 * super-block and row where the file has 210 (1.3×), and a column then decodes like Q8_0, in one load,
 * one conversion and one FMA. Q6_K is rarely more than the output matrix and a few others in a model.
 *
 * <p>Per group and super-block: the G d's (as F32), then for each of the 16 sub-blocks the G scales, then for
 * each of the 256 columns the G values.
 */
final class InterleavedQ6K extends InterleavedMatrix {
    private static final int BLOCK = 256;
    static final int FILE_BYTES = 210;
    private static final int SUB = 16;
    /** Offsets, in units of G bytes, within a group's block. */
    private static final int SCALES_AT = 4;
    private static final int VALUES_AT = SCALES_AT + 16;
    static final int BYTES = VALUES_AT + BLOCK;

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

    @Override
    void dequantize(int g, int b, float[] dst, int dstOff, int dstStride) {
        MemorySegment copy = weights();
        int r = groupRows;
        long off = offset(g, b);
        for (int h = 0; h < r; h += G) {
            FloatVector d = scales(copy, off + 4L * h);
            for (int j = 0; j < 16; j++) {
                FloatVector k = ((FloatVector) ByteVector.fromMemorySegment(B, copy, off + (long) (SCALES_AT + j) * r + h, LE)
                        .castShape(F, 0)).mul(d);
                long q = off + (long) (VALUES_AT + SUB * j) * r + h;
                int o = dstOff + SUB * j * dstStride + h;
                for (int l = 0; l < SUB; l++, q += r, o += dstStride) {
                    ((FloatVector) ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0)).mul(k).intoArray(dst, o);
                }
            }
        }
    }

    private static void putValue(byte[] dst, int block, int col, int row, int q) {
        dst[block + (VALUES_AT + col) * G + row] = (byte) (q - 32);
    }

    @Override
    void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        // Two methods, each compiled on its own: one holding both loops outgrows C2's inlining budget,
        // and the vector operations it then leaves out run as slow Java fallbacks.
        int fours = g0 + (g1 - g0) / 4 * 4;
        multiplyFour(x, xOff, out, outOff, g0, fours);
        multiplyOne(x, xOff, out, outOff, fours, g1);
    }

    /**
     * Groups [g0, g1), a multiple of four, four at a time: each broadcast input feeds four vectors
     * (1.4× faster than one group per pass, where broadcasts and loop overhead are a third of the work).
     */
    private void multiplyFour(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        long stride = groupBytes();
        for (int g = g0; g < g1; g += 4) {
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            FloatVector acc2 = FloatVector.zero(F);
            FloatVector acc3 = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int c = xOff, end = xOff + cols; c < end; c += BLOCK, off += groupBlockBytes) {
                FloatVector d0 = scales(copy, off);
                FloatVector d1 = scales(copy, off + stride);
                FloatVector d2 = scales(copy, off + 2 * stride);
                FloatVector d3 = scales(copy, off + 3 * stride);
                for (int j = 0; j < 16; j++) {
                    long q0 = off + (long) (VALUES_AT + SUB * j) * G;
                    long q1 = q0 + stride;
                    long q2 = q1 + stride;
                    long q3 = q2 + stride;
                    FloatVector s0 = FloatVector.zero(F);
                    FloatVector s1 = FloatVector.zero(F);
                    FloatVector s2 = FloatVector.zero(F);
                    FloatVector s3 = FloatVector.zero(F);
                    // Sub-block scales before values, in memory order.
                    long sc = off + (long) (SCALES_AT + j) * G;
                    FloatVector k0 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc, LE).castShape(F, 0)).mul(d0);
                    FloatVector k1 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc + stride, LE).castShape(F, 0)).mul(d1);
                    FloatVector k2 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc + 2 * stride, LE).castShape(F, 0)).mul(d2);
                    FloatVector k3 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, sc + 3 * stride, LE).castShape(F, 0)).mul(d3);
                    int xj = c + SUB * j;
                    for (int l = 0; l < SUB; l++) {
                        FloatVector xv = FloatVector.broadcast(F, x[xj + l]);
                        long o = (long) l * G;
                        s0 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q0 + o, LE).castShape(F, 0)).fma(xv, s0);
                        s1 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q1 + o, LE).castShape(F, 0)).fma(xv, s1);
                        s2 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q2 + o, LE).castShape(F, 0)).fma(xv, s2);
                        s3 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q3 + o, LE).castShape(F, 0)).fma(xv, s3);
                    }
                    acc0 = s0.fma(k0, acc0);
                    acc1 = s1.fma(k1, acc1);
                    acc2 = s2.fma(k2, acc2);
                    acc3 = s3.fma(k3, acc3);
                }
            }
            int o = outOff + g * G;
            acc0.intoArray(out, o);
            acc1.intoArray(out, o + G);
            acc2.intoArray(out, o + 2 * G);
            acc3.intoArray(out, o + 3 * G);
        }
    }

    private void multiplyOne(float[] x, int xOff, float[] out, int outOff, int g0, int g1) {
        MemorySegment copy = weights();
        for (int g = g0; g < g1; g++) {
            FloatVector acc = FloatVector.zero(F);
            long off = offset(g, 0);
            for (int c = xOff, end = xOff + cols; c < end; c += BLOCK, off += groupBlockBytes) {
                FloatVector d = scales(copy, off);
                for (int j = 0; j < 16; j++) {
                    // Two accumulators: consecutive columns do not wait on each other's FMA.
                    long q = off + (long) (VALUES_AT + SUB * j) * G;
                    int xj = c + SUB * j;
                    FloatVector s0 = FloatVector.zero(F);
                    FloatVector s1 = FloatVector.zero(F);
                    for (int l = 0; l < SUB; l += 2) {
                        long o = q + (long) l * G;
                        s0 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, o, LE).castShape(F, 0)).fma(FloatVector.broadcast(F, x[xj + l]), s0);
                        s1 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, o + G, LE).castShape(F, 0)).fma(FloatVector.broadcast(F, x[xj + l + 1]), s1);
                    }
                    long sc = off + (long) (SCALES_AT + j) * G;
                    acc = s0.add(s1).fma(((FloatVector) ByteVector.fromMemorySegment(B, copy, sc, LE).castShape(F, 0)).mul(d), acc);
                }
            }
            acc.intoArray(out, outOff + g * G);
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
                        FloatVector w0 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q, LE).castShape(F, 0)).mul(k);
                        FloatVector w1 = ((FloatVector) ByteVector.fromMemorySegment(B, copy, q + G, LE).castShape(F, 0)).mul(k);
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
