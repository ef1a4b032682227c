package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.PanelKernel;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import dev.llmplatform.engine.tensor.VectorExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 matrix multiplication for the encoder: {@code C[M×N] = A[M×K] · W + bias}, optionally followed by
 * GELU. Each block of C is the engine's shared microkernel ({@link PanelKernel}, as the decoder's prompt
 * GEMM) over a panel of {@link PackedMatrix}, packed once at load, so nothing is copied per call: the sums
 * start from the bias and stay in registers over the whole K loop. Tiles (row chunk × panel) are spread
 * over the caller's {@link Parallel} pool.
 */
public final class F32Gemm {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    private static final int NR = PanelKernel.NR;
    private static final int MR = PanelKernel.MR;

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
                int col = panel * NR;
                PanelKernel.multiply(w.packed(), panel * k * NR, k, a, firstRow * k, k, lastRow - firstRow,
                        w.paddedBias(), col, 0, c, firstRow * n + col, n, Math.min(NR, n - col));
            }
        });
        if (act == Activation.GELU) {
            // A pass of its own: folded into the multiply's tiles (the same compiled method), it made the JIT
            // compile the multiply loop several times slower.
            parallel.forRange(rows, (start, end) -> geluInPlace(c, start * n, (end - start) * n));
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
            FloatVector e = VectorExp.exp(abs.mul(abs).neg());
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
