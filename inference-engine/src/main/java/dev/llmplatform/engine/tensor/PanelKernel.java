package dev.llmplatform.engine.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The engine's one register-blocked F32 GEMM microkernel, shared by the decoder's prompt GEMM
 * ({@link PanelGemm}: the panel is dequantized per call) and the encoder's {@code F32Gemm} (the panel is
 * packed once at load, {@code PackedMatrix}). A panel holds {@link #NR} output columns laid out
 * {@code [k][NR]}; {@link #MR} = 6 inputs pass over it together, with 6 × 4 vectors of sums in registers
 * on AVX-512 (32 vector registers: 24 sums, 4 weight loads and 6 broadcasts per k) and 6 × 2 with 256-bit
 * vectors (16 registers: 12 sums). The inner loop is nothing but loads and FMAs.
 *
 * <p>Each output row starts from an initial row — the output itself (to accumulate over column blocks),
 * a bias (stride 0), or zeros (stride 0) — so the caller's epilogue costs no extra pass. A last group of
 * fewer than six inputs, or a panel narrower than {@link #NR}, goes through per-thread tiles: the same
 * six-input kernel over zero-padded inputs (as fast per input as a full block, where a one-input kernel
 * was four times slower), then only the real outputs are copied back.
 *
 * <p>Loaded only where the Vector API is.
 */
public final class PanelKernel {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    /** True when panels are four vectors wide (32 vector registers), else two (AVX2's 16 registers). */
    private static final boolean WIDE = V >= 16;
    /** Output columns per panel: four vectors with AVX-512, two otherwise. */
    public static final int NR = WIDE ? 4 * V : 2 * V;
    /** Inputs per kernel call. */
    public static final int MR = 6;
    /** A row of zeros, the initial row (stride 0) of a product that starts from nothing; never written. */
    private static final float[] ZEROS = new float[NR];

    /** Per-thread tiles for the edges: a block's outputs and its zero-padded inputs (grown to the longest k). */
    private static final ThreadLocal<Tiles> TILES = ThreadLocal.withInitial(Tiles::new);

    private static final class Tiles {
        final float[] out = new float[MR * NR];
        float[] inputs = new float[0];
    }

    private PanelKernel() {
    }

    /**
     * {@code c[cOff + i·cStride + j] = init[initOff + i·initStride + j] + Σ_k x[xOff + i·xStride + k] ·
     * panel[panelOff + k·NR + j]} for inputs i in [0, rows), columns j in [0, width), k in [0, kc).
     * {@code init} may be {@code c} itself (with the same offset and stride) to accumulate. The panel's
     * row stride is the constant {@link #NR}: with a variable stride C2 keeps a range check on every
     * weight load, measured 13 % slower at 256 bits.
     */
    public static void multiply(float[] panel, int panelOff, int kc,
                                float[] x, int xOff, int xStride, int rows,
                                float[] init, int initOff, int initStride,
                                float[] c, int cOff, int cStride, int width) {
        int i = 0;
        if (width == NR) {
            for (; i + MR <= rows; i += MR) {
                kernel(panel, panelOff, kc, x, xOff + i * xStride, xStride,
                        init, initOff + i * initStride, initStride, c, cOff + i * cStride, cStride);
            }
        }
        if (i < rows) {
            multiplyThroughTiles(panel, panelOff, kc, x, xOff, xStride, i, rows,
                    init, initOff, initStride, c, cOff, cStride, width);
        }
    }

    /** As the other {@code multiply}, starting from zeros: {@code c = x · panel}. */
    public static void multiply(float[] panel, int panelOff, int kc,
                                float[] x, int xOff, int xStride, int rows,
                                float[] c, int cOff, int cStride, int width) {
        multiply(panel, panelOff, kc, x, xOff, xStride, rows, ZEROS, 0, 0, c, cOff, cStride, width);
    }

    /** Inputs [first, rows), a partial block or a narrow panel: the full kernel on tiles. */
    private static void multiplyThroughTiles(float[] panel, int panelOff, int kc,
                                             float[] x, int xOff, int xStride, int first, int rows,
                                             float[] init, int initOff, int initStride,
                                             float[] c, int cOff, int cStride, int width) {
        Tiles tiles = TILES.get();
        float[] tile = tiles.out;
        if (tiles.inputs.length < MR * kc) {
            tiles.inputs = new float[MR * kc];
        }
        for (int b = first; b < rows; b += MR) {
            int n = Math.min(MR, rows - b);
            float[] in = x;
            int inOff = xOff + b * xStride;
            int inStride = xStride;
            if (n < MR) {
                in = tiles.inputs;
                inOff = 0;
                inStride = kc;
                for (int i = 0; i < MR; i++) {
                    if (i < n) {
                        System.arraycopy(x, xOff + (b + i) * xStride, in, i * kc, kc);
                    } else {
                        Arrays.fill(in, i * kc, (i + 1) * kc, 0f);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(init, initOff + (b + i) * initStride, tile, i * NR, width);
            }
            kernel(panel, panelOff, kc, in, inOff, inStride, tile, 0, NR, tile, 0, NR);
            for (int i = 0; i < n; i++) {
                System.arraycopy(tile, i * NR, c, cOff + (b + i) * cStride, width);
            }
        }
    }

    private static void kernel(float[] panel, int panelOff, int kc, float[] x, int xOff, int xStride,
                               float[] init, int initOff, int initStride, float[] c, int cOff, int cStride) {
        if (WIDE) {
            kernel6x4(panel, panelOff, kc, x, xOff, xStride, init, initOff, initStride, c, cOff, cStride);
        } else {
            kernel6x2(panel, panelOff, kc, x, xOff, xStride, init, initOff, initStride, c, cOff, cStride);
        }
    }

    /**
     * Six inputs against the panel: 24 sums in registers. Vectors never cross a method boundary: a call
     * that is not inlined would box them.
     */
    private static void kernel6x4(float[] b, int bOff, int kc, float[] x, int xOff, int xStride,
                                  float[] init, int initOff, int initStride, float[] c, int cOff, int cStride) {
        int i0 = initOff;
        int i1 = i0 + initStride;
        int i2 = i1 + initStride;
        int i3 = i2 + initStride;
        int i4 = i3 + initStride;
        int i5 = i4 + initStride;
        FloatVector c00 = FloatVector.fromArray(S, init, i0);
        FloatVector c01 = FloatVector.fromArray(S, init, i0 + V);
        FloatVector c02 = FloatVector.fromArray(S, init, i0 + 2 * V);
        FloatVector c03 = FloatVector.fromArray(S, init, i0 + 3 * V);
        FloatVector c10 = FloatVector.fromArray(S, init, i1);
        FloatVector c11 = FloatVector.fromArray(S, init, i1 + V);
        FloatVector c12 = FloatVector.fromArray(S, init, i1 + 2 * V);
        FloatVector c13 = FloatVector.fromArray(S, init, i1 + 3 * V);
        FloatVector c20 = FloatVector.fromArray(S, init, i2);
        FloatVector c21 = FloatVector.fromArray(S, init, i2 + V);
        FloatVector c22 = FloatVector.fromArray(S, init, i2 + 2 * V);
        FloatVector c23 = FloatVector.fromArray(S, init, i2 + 3 * V);
        FloatVector c30 = FloatVector.fromArray(S, init, i3);
        FloatVector c31 = FloatVector.fromArray(S, init, i3 + V);
        FloatVector c32 = FloatVector.fromArray(S, init, i3 + 2 * V);
        FloatVector c33 = FloatVector.fromArray(S, init, i3 + 3 * V);
        FloatVector c40 = FloatVector.fromArray(S, init, i4);
        FloatVector c41 = FloatVector.fromArray(S, init, i4 + V);
        FloatVector c42 = FloatVector.fromArray(S, init, i4 + 2 * V);
        FloatVector c43 = FloatVector.fromArray(S, init, i4 + 3 * V);
        FloatVector c50 = FloatVector.fromArray(S, init, i5);
        FloatVector c51 = FloatVector.fromArray(S, init, i5 + V);
        FloatVector c52 = FloatVector.fromArray(S, init, i5 + 2 * V);
        FloatVector c53 = FloatVector.fromArray(S, init, i5 + 3 * V);
        int x0 = xOff;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int x4 = x3 + xStride;
        int x5 = x4 + xStride;
        for (int k = 0, bi = bOff; k < kc; k++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
            FloatVector a = FloatVector.broadcast(S, x[x0 + k]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            c02 = b2.fma(a, c02);
            c03 = b3.fma(a, c03);
            a = FloatVector.broadcast(S, x[x1 + k]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            c12 = b2.fma(a, c12);
            c13 = b3.fma(a, c13);
            a = FloatVector.broadcast(S, x[x2 + k]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            c22 = b2.fma(a, c22);
            c23 = b3.fma(a, c23);
            a = FloatVector.broadcast(S, x[x3 + k]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            c32 = b2.fma(a, c32);
            c33 = b3.fma(a, c33);
            a = FloatVector.broadcast(S, x[x4 + k]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            c42 = b2.fma(a, c42);
            c43 = b3.fma(a, c43);
            a = FloatVector.broadcast(S, x[x5 + k]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
            c52 = b2.fma(a, c52);
            c53 = b3.fma(a, c53);
        }
        int o0 = cOff;
        int o1 = o0 + cStride;
        int o2 = o1 + cStride;
        int o3 = o2 + cStride;
        int o4 = o3 + cStride;
        int o5 = o4 + cStride;
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + V);
        c02.intoArray(c, o0 + 2 * V);
        c03.intoArray(c, o0 + 3 * V);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + V);
        c12.intoArray(c, o1 + 2 * V);
        c13.intoArray(c, o1 + 3 * V);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + V);
        c22.intoArray(c, o2 + 2 * V);
        c23.intoArray(c, o2 + 3 * V);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + V);
        c32.intoArray(c, o3 + 2 * V);
        c33.intoArray(c, o3 + 3 * V);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + V);
        c42.intoArray(c, o4 + 2 * V);
        c43.intoArray(c, o4 + 3 * V);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + V);
        c52.intoArray(c, o5 + 2 * V);
        c53.intoArray(c, o5 + 3 * V);
    }

    /** As {@link #kernel6x4} for 16 vector registers (AVX2): 6 inputs × 2 vectors, 12 sums. */
    private static void kernel6x2(float[] b, int bOff, int kc, float[] x, int xOff, int xStride,
                                  float[] init, int initOff, int initStride, float[] c, int cOff, int cStride) {
        int i0 = initOff;
        int i1 = i0 + initStride;
        int i2 = i1 + initStride;
        int i3 = i2 + initStride;
        int i4 = i3 + initStride;
        int i5 = i4 + initStride;
        FloatVector c00 = FloatVector.fromArray(S, init, i0);
        FloatVector c01 = FloatVector.fromArray(S, init, i0 + V);
        FloatVector c10 = FloatVector.fromArray(S, init, i1);
        FloatVector c11 = FloatVector.fromArray(S, init, i1 + V);
        FloatVector c20 = FloatVector.fromArray(S, init, i2);
        FloatVector c21 = FloatVector.fromArray(S, init, i2 + V);
        FloatVector c30 = FloatVector.fromArray(S, init, i3);
        FloatVector c31 = FloatVector.fromArray(S, init, i3 + V);
        FloatVector c40 = FloatVector.fromArray(S, init, i4);
        FloatVector c41 = FloatVector.fromArray(S, init, i4 + V);
        FloatVector c50 = FloatVector.fromArray(S, init, i5);
        FloatVector c51 = FloatVector.fromArray(S, init, i5 + V);
        int x0 = xOff;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int x4 = x3 + xStride;
        int x5 = x4 + xStride;
        for (int k = 0, bi = bOff; k < kc; k++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector a = FloatVector.broadcast(S, x[x0 + k]);
            c00 = b0.fma(a, c00);
            c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(S, x[x1 + k]);
            c10 = b0.fma(a, c10);
            c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(S, x[x2 + k]);
            c20 = b0.fma(a, c20);
            c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(S, x[x3 + k]);
            c30 = b0.fma(a, c30);
            c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(S, x[x4 + k]);
            c40 = b0.fma(a, c40);
            c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(S, x[x5 + k]);
            c50 = b0.fma(a, c50);
            c51 = b1.fma(a, c51);
        }
        int o0 = cOff;
        int o1 = o0 + cStride;
        int o2 = o1 + cStride;
        int o3 = o2 + cStride;
        int o4 = o3 + cStride;
        int o5 = o4 + cStride;
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + V);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + V);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + V);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + V);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + V);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + V);
    }
}
