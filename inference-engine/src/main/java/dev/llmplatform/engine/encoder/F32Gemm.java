package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 matrix multiplication for the encoder: {@code C[M×N] = A[M×K] · W + bias}, optionally followed by
 * GELU. A register-blocked Vector API kernel computes a block of C (6 rows × 4 vectors with AVX-512,
 * 4 rows × 3 vectors otherwise) at a time, keeping the partial sums in registers over the whole K loop;
 * the panel is read sequentially from {@link PackedMatrix}. Tiles (row chunk × panel) are spread over the
 * caller's {@link Parallel} pool.
 */
public final class F32Gemm {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    private static final int NR = PackedMatrix.PANEL_WIDTH;
    /** True when panels are four vectors wide and blocks six rows tall (32 vector registers). */
    private static final boolean WIDE = NR == 4 * V;
    private static final int MR = WIDE ? 6 : 4;

    /** What to apply to each output before it is stored. */
    public enum Activation { NONE, GELU }

    private F32Gemm() {
    }

    /**
     * @param a    {@code rows × W.inputs()} row-major
     * @param c    receives {@code rows × W.outputs()} row-major
     */
    public static void multiply(Parallel parallel, float[] a, int rows, PackedMatrix w, Activation act, float[] c) {
        int k = w.inputs();
        int n = w.outputs();
        if (a.length < (long) rows * k || c.length < (long) rows * n) {
            throw new IllegalArgumentException("buffers too small for " + rows + "×" + k + " · " + k + "×" + n);
        }
        int panels = w.panels();
        int rowBlocks = (rows + MR - 1) / MR;
        // Tiles are (row chunk, panel) pairs numbered row-chunk-major: a worker's contiguous range of
        // tiles walks all panels for a chunk of rows that stays in its cache, streaming each panel once
        // per chunk. Chunks shrink for short inputs so that every worker still gets tiles.
        int blocksPerChunk = Math.max(1, Math.min(16, rowBlocks * panels / (parallel.threads() * 8)));
        int rowChunks = (rowBlocks + blocksPerChunk - 1) / blocksPerChunk;
        parallel.forRange(panels * rowChunks, (start, end) -> {
            for (int t = start; t < end; t++) {
                int panel = t % panels;
                int firstRow = (t / panels) * blocksPerChunk * MR;
                int lastRow = Math.min(rows, firstRow + blocksPerChunk * MR);
                if (WIDE) {
                    tileWide(a, k, w, panel, firstRow, lastRow, c, n);
                } else {
                    tile(a, k, w, panel, firstRow, lastRow, c, n);
                }
            }
        });
        if (act == Activation.GELU) {
            // A pass of its own: folded into the multiply's tiles (the same compiled method), it made the JIT
            // compile the multiply loop several times slower.
            parallel.forRange(rows, (start, end) -> geluInPlace(c, start * n, (end - start) * n));
        }
    }

    /** The AVX-512 kernel: 6 rows × 4 vectors, 24 sums in registers. */
    private static void tileWide(float[] a, int k, PackedMatrix w, int panel, int firstRow, int lastRow, float[] c, int n) {
        float[] b = w.packed();
        int bBase = panel * k * NR;
        int col = panel * NR;
        boolean full = col + NR <= n;
        int width = Math.min(NR, n - col);
        float[] scratch = full ? null : new float[6 * NR];
        float[] bias = w.paddedBias();
        int r = firstRow;
        for (; r + 6 <= lastRow; r += 6) {
            FloatVector c00 = FloatVector.fromArray(S, bias, col), c01 = FloatVector.fromArray(S, bias, col + V);
            FloatVector c02 = FloatVector.fromArray(S, bias, col + 2 * V), c03 = FloatVector.fromArray(S, bias, col + 3 * V);
            FloatVector c10 = c00, c11 = c01, c12 = c02, c13 = c03;
            FloatVector c20 = c00, c21 = c01, c22 = c02, c23 = c03;
            FloatVector c30 = c00, c31 = c01, c32 = c02, c33 = c03;
            FloatVector c40 = c00, c41 = c01, c42 = c02, c43 = c03;
            FloatVector c50 = c00, c51 = c01, c52 = c02, c53 = c03;
            int a0 = r * k;
            int bi = bBase;
            for (int kk = 0; kk < k; kk++, bi += NR) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
                FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
                FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
                FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                c02 = b2.fma(x, c02);
                c03 = b3.fma(x, c03);
                x = FloatVector.broadcast(S, a[a0 + k + kk]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                c12 = b2.fma(x, c12);
                c13 = b3.fma(x, c13);
                x = FloatVector.broadcast(S, a[a0 + 2 * k + kk]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                c22 = b2.fma(x, c22);
                c23 = b3.fma(x, c23);
                x = FloatVector.broadcast(S, a[a0 + 3 * k + kk]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                c32 = b2.fma(x, c32);
                c33 = b3.fma(x, c33);
                x = FloatVector.broadcast(S, a[a0 + 4 * k + kk]);
                c40 = b0.fma(x, c40);
                c41 = b1.fma(x, c41);
                c42 = b2.fma(x, c42);
                c43 = b3.fma(x, c43);
                x = FloatVector.broadcast(S, a[a0 + 5 * k + kk]);
                c50 = b0.fma(x, c50);
                c51 = b1.fma(x, c51);
                c52 = b2.fma(x, c52);
                c53 = b3.fma(x, c53);
            }
            float[] dst = full ? c : scratch;
            int rs = full ? n : NR;
            int o = full ? r * n + col : 0;
            c00.intoArray(dst, o);
            c01.intoArray(dst, o + V);
            c02.intoArray(dst, o + 2 * V);
            c03.intoArray(dst, o + 3 * V);
            o += rs;
            c10.intoArray(dst, o);
            c11.intoArray(dst, o + V);
            c12.intoArray(dst, o + 2 * V);
            c13.intoArray(dst, o + 3 * V);
            o += rs;
            c20.intoArray(dst, o);
            c21.intoArray(dst, o + V);
            c22.intoArray(dst, o + 2 * V);
            c23.intoArray(dst, o + 3 * V);
            o += rs;
            c30.intoArray(dst, o);
            c31.intoArray(dst, o + V);
            c32.intoArray(dst, o + 2 * V);
            c33.intoArray(dst, o + 3 * V);
            o += rs;
            c40.intoArray(dst, o);
            c41.intoArray(dst, o + V);
            c42.intoArray(dst, o + 2 * V);
            c43.intoArray(dst, o + 3 * V);
            o += rs;
            c50.intoArray(dst, o);
            c51.intoArray(dst, o + V);
            c52.intoArray(dst, o + 2 * V);
            c53.intoArray(dst, o + 3 * V);
            if (!full) {
                for (int i = 0; i < 6; i++) {
                    System.arraycopy(scratch, i * NR, c, (r + i) * n + col, width);
                }
            }
        }
        for (; r < lastRow; r++) {
            FloatVector c0 = FloatVector.fromArray(S, bias, col), c1 = FloatVector.fromArray(S, bias, col + V);
            FloatVector c2 = FloatVector.fromArray(S, bias, col + 2 * V), c3 = FloatVector.fromArray(S, bias, col + 3 * V);
            int a0 = r * k;
            int bi = bBase;
            for (int kk = 0; kk < k; kk++, bi += NR) {
                FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                c0 = FloatVector.fromArray(S, b, bi).fma(x, c0);
                c1 = FloatVector.fromArray(S, b, bi + V).fma(x, c1);
                c2 = FloatVector.fromArray(S, b, bi + 2 * V).fma(x, c2);
                c3 = FloatVector.fromArray(S, b, bi + 3 * V).fma(x, c3);
            }
            float[] dst = full ? c : scratch;
            int o = full ? r * n + col : 0;
            c0.intoArray(dst, o);
            c1.intoArray(dst, o + V);
            c2.intoArray(dst, o + 2 * V);
            c3.intoArray(dst, o + 3 * V);
            if (!full) {
                System.arraycopy(scratch, 0, c, r * n + col, width);
            }
        }
    }

    /** The kernel for narrower vectors: 4 rows × 3 vectors, 12 sums in registers. */
    private static void tile(float[] a, int k, PackedMatrix w, int panel, int firstRow, int lastRow, float[] c, int n) {
        float[] b = w.packed();
        int bBase = panel * k * NR;
        int col = panel * NR;
        // A partial last panel is computed in full width into scratch rows, then its valid columns copied.
        boolean full = col + NR <= n;
        int width = Math.min(NR, n - col);
        float[] scratch = full ? null : new float[MR * NR];
        float[] bias = w.paddedBias();
        FloatVector bias0 = FloatVector.fromArray(S, bias, col);
        FloatVector bias1 = FloatVector.fromArray(S, bias, col + V);
        FloatVector bias2 = FloatVector.fromArray(S, bias, col + 2 * V);
        int r = firstRow;
        for (; r + MR <= lastRow; r += MR) {
            FloatVector c00 = bias0, c01 = bias1, c02 = bias2;
            FloatVector c10 = bias0, c11 = bias1, c12 = bias2;
            FloatVector c20 = bias0, c21 = bias1, c22 = bias2;
            FloatVector c30 = bias0, c31 = bias1, c32 = bias2;
            int a0 = r * k;
            int a1 = a0 + k;
            int a2 = a1 + k;
            int a3 = a2 + k;
            int bi = bBase;
            for (int kk = 0; kk < k; kk++, bi += NR) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
                FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
                FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                c02 = b2.fma(x, c02);
                x = FloatVector.broadcast(S, a[a1 + kk]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                c12 = b2.fma(x, c12);
                x = FloatVector.broadcast(S, a[a2 + kk]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                c22 = b2.fma(x, c22);
                x = FloatVector.broadcast(S, a[a3 + kk]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                c32 = b2.fma(x, c32);
            }
            // Vectors never cross a method boundary here: a non-inlined call would box them.
            float[] dst = full ? c : scratch;
            int o0 = full ? r * n + col : 0;
            int o1 = full ? o0 + n : NR;
            int o2 = full ? o1 + n : 2 * NR;
            int o3 = full ? o2 + n : 3 * NR;
            c00.intoArray(dst, o0);
            c01.intoArray(dst, o0 + V);
            c02.intoArray(dst, o0 + 2 * V);
            c10.intoArray(dst, o1);
            c11.intoArray(dst, o1 + V);
            c12.intoArray(dst, o1 + 2 * V);
            c20.intoArray(dst, o2);
            c21.intoArray(dst, o2 + V);
            c22.intoArray(dst, o2 + 2 * V);
            c30.intoArray(dst, o3);
            c31.intoArray(dst, o3 + V);
            c32.intoArray(dst, o3 + 2 * V);
            if (!full) {
                for (int i = 0; i < MR; i++) {
                    System.arraycopy(scratch, i * NR, c, (r + i) * n + col, width);
                }
            }
        }
        for (; r < lastRow; r++) {
            FloatVector c0 = bias0, c1 = bias1, c2 = bias2;
            int a0 = r * k;
            int bi = bBase;
            for (int kk = 0; kk < k; kk++, bi += NR) {
                FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                c0 = FloatVector.fromArray(S, b, bi).fma(x, c0);
                c1 = FloatVector.fromArray(S, b, bi + V).fma(x, c1);
                c2 = FloatVector.fromArray(S, b, bi + 2 * V).fma(x, c2);
            }
            float[] dst = full ? c : scratch;
            int o = full ? r * n + col : 0;
            c0.intoArray(dst, o);
            c1.intoArray(dst, o + V);
            c2.intoArray(dst, o + 2 * V);
            if (!full) {
                System.arraycopy(scratch, 0, c, r * n + col, width);
            }
        }
    }

    // erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, below float resolution of GELU's output).
    private static final float ERF_P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = 0.70710678118654752f;

    /** GELU in its exact (erf) form, {@code 0.5·x·(1 + erf(x/√2))}, as BERT uses, over {@code x[off, off+len)}. */
    static void geluInPlace(float[] x, int off, int len) {
        int i = 0;
        for (; i + V <= len; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector u = v.mul(INV_SQRT2);
            FloatVector abs = u.abs();
            FloatVector t = FloatVector.broadcast(S, 1f).div(abs.fma(ERF_P, 1f));
            FloatVector poly = t.fma(A5, A4).fma(t, FloatVector.broadcast(S, A3)).fma(t, FloatVector.broadcast(S, A2))
                    .fma(t, FloatVector.broadcast(S, A1)).mul(t);
            FloatVector e = VectorMath.exp(abs.mul(abs).neg());
            FloatVector erfAbs = poly.mul(e).neg().add(1f);
            FloatVector erf = erfAbs.blend(erfAbs.neg(), u.compare(VectorOperators.LT, 0f));
            v.mul(0.5f).mul(erf.add(1f)).intoArray(x, off + i);
        }
        for (; i < len; i++) {
            x[off + i] = gelu(x[off + i]);
        }
    }

    /** Scalar GELU (erf form) with the same approximation, for tails and tests. */
    static float gelu(float x) {
        float u = x * INV_SQRT2;
        float a = Math.abs(u);
        float t = 1f / (1f + ERF_P * a);
        float poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        float erfAbs = 1f - poly * (float) Math.exp(-a * a);
        return 0.5f * x * (1f + (u < 0 ? -erfAbs : erfAbs));
    }
}
