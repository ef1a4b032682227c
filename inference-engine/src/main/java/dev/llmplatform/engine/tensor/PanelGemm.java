package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prompt processing ({@link WeightMatrix#matmul} with many inputs) as an F32 GEMM over weights that are
 * dequantized once per call. The rows are cut into panels of {@link #NR} (four vectors with AVX-512, two
 * otherwise); for each panel and block of {@link #KC} columns, the weights are dequantized into a
 * per-thread scratch panel laid out {@code [column][NR]}, and then every input of the batch passes over
 * it, six at a time, in a register-blocked kernel (6 × 4 vectors: 24 sums, 4 weight loads and 6
 * broadcasts per column, as the encoder's {@code F32Gemm}). Decoding a weight costs the same as in the
 * interleaved kernels' {@code multiply8}, but it is paid once for the whole batch instead of once per
 * eight inputs, and the kernel's inner loop is nothing but loads and FMAs.
 *
 * <p>The first column block writes {@code out}, later ones add to it. Weights come from the interleaved
 * copy where there is one ({@link InterleavedMatrix#dequantize}, vectorised) and from the file layout
 * through the type's {@link TypeKernel#dequantize} otherwise, which covers every type with a kernel
 * (F32, F16, BF16, Q5_K, …) and the rows past the interleaved copy's last whole group.
 *
 * <p>Loaded only where the Vector API is (see {@link RowKernels#simd()}).
 */
final class PanelGemm {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    /** True when panels are four vectors wide (32 vector registers), else two (AVX2's 16 registers). */
    private static final boolean WIDE = V >= 16;
    /** Rows per panel: a multiple of every interleaved layout's group (G or 2G rows). */
    static final int NR = WIDE ? 4 * V : 2 * V;
    /** Inputs per kernel call. */
    static final int MR = 6;
    /**
     * Columns per block: a K-quant super-block, so blocks align with every type's; the packed panel
     * (64 KiB with AVX-512) stays in L2 while all inputs pass over it.
     */
    static final int KC = 256;

    /**
     * Per-thread scratch, kept by each worker of the model's pool (and each calling thread) for its
     * lifetime: the panel, a row of the file layout, and tiles of inputs and outputs for a batch's last
     * inputs and a partial last panel. About 80 KiB, so products allocate nothing per call.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] panel = new float[KC * NR];
        final float[] row = new float[KC];
        final float[] tile = new float[MR * NR];
        final float[] inputs = new float[MR * KC];
    }

    private final InterleavedMatrix interleaved;
    private final TypeKernel kernel;
    private final MemorySegment data;
    private final int rows;
    private final int cols;

    /**
     * A product over {@code data} ({@code rows × cols}, file layout), taking whole groups from
     * {@code interleaved} where it is not null.
     */
    PanelGemm(InterleavedMatrix interleaved, TypeKernel kernel, MemorySegment data, int rows, int cols) {
        // A layout whose groups do not tile a panel is read from the file layout instead.
        this.interleaved = interleaved != null && NR % interleaved.groupRows == 0 ? interleaved : null;
        this.kernel = kernel;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Number of panels: the work items spread over the pool. */
    static int panels(int rows) {
        return Parallel.ceilDiv(rows, NR);
    }

    /** {@code out[b·rows + r] = W[r]·x[b·cols ..]} for b in [0, batch), rows of panels [p0, p1). */
    void multiplyPanels(float[] x, int batch, float[] out, int p0, int p1) {
        Scratch scratch = SCRATCH.get();
        for (int p = p0; p < p1; p++) {
            int row0 = p * NR;
            int width = Math.min(NR, rows - row0);
            for (int k0 = 0; k0 < cols; k0 += KC) {
                int kc = Math.min(KC, cols - k0);
                decode(row0, width, k0, kc, scratch);
                multiplyPanel(scratch, x, batch, out, row0, width, k0, kc);
            }
        }
    }

    /** Dequantizes rows [row0, row0 + width) × columns [k0, k0 + kc) into {@code scratch.panel}. */
    private void decode(int row0, int width, int k0, int kc, Scratch scratch) {
        float[] panel = scratch.panel;
        int r = row0;
        int end = row0 + width;
        if (interleaved != null) {
            int groupRows = interleaved.groupRows;
            int blockCols = interleaved.blockCols;
            int covered = Math.min(end, interleaved.rows());
            for (; r + groupRows <= covered; r += groupRows) {
                int g = r / groupRows;
                for (int c = 0; c < kc; c += blockCols) {
                    interleaved.dequantize(g, (k0 + c) / blockCols, panel, c * NR + (r - row0), NR);
                }
            }
        }
        float[] row = scratch.row;
        for (; r < end; r++) {
            kernel.dequantize(data, (long) r * cols + k0, row, 0, kc);
            for (int c = 0, o = r - row0; c < kc; c++, o += NR) {
                panel[o] = row[c];
            }
        }
        // Rows past the matrix (a last, partial panel): zeros, so the kernel's unused lanes stay finite.
        for (; r < row0 + NR; r++) {
            for (int c = 0, o = r - row0; c < kc; c++, o += NR) {
                panel[o] = 0;
            }
        }
    }

    /**
     * All inputs against the decoded panel, six at a time. A last group of fewer than six inputs, or a
     * partial last panel, goes through the scratch tiles: the kernel runs at full size over zero-padded
     * inputs (as fast per input as a full block, where a one-input kernel was four times slower), and only
     * the real outputs are copied back.
     */
    private void multiplyPanel(Scratch scratch, float[] x, int batch, float[] out, int row0, int width, int k0, int kc) {
        float[] panel = scratch.panel;
        boolean add = k0 > 0;
        int b = 0;
        if (width == NR) {
            for (; b + MR <= batch; b += MR) {
                kernel6(panel, kc, x, b * cols + k0, cols, out, b * rows + row0, rows, add);
            }
        }
        for (; b < batch; b += MR) {
            int n = Math.min(MR, batch - b);
            float[] in = x;
            int inOff = b * cols + k0;
            int inStride = cols;
            if (n < MR) {
                in = scratch.inputs;
                inOff = 0;
                inStride = KC;
                for (int i = 0; i < MR; i++) {
                    if (i < n) {
                        System.arraycopy(x, (b + i) * cols + k0, in, i * KC, kc);
                    } else {
                        Arrays.fill(in, i * KC, i * KC + kc, 0f);
                    }
                }
            }
            float[] tile = scratch.tile;
            if (add) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(out, (b + i) * rows + row0, tile, i * NR, width);
                }
            }
            kernel6(panel, kc, in, inOff, inStride, tile, 0, NR, add);
            for (int i = 0; i < n; i++) {
                System.arraycopy(tile, i * NR, out, (b + i) * rows + row0, width);
            }
        }
    }

    private static void kernel6(float[] panel, int kc, float[] x, int xOff, int xStride,
                                float[] c, int cOff, int cStride, boolean add) {
        if (WIDE) {
            kernel6x4(panel, kc, x, xOff, xStride, c, cOff, cStride, add);
        } else {
            kernel6x2(panel, kc, x, xOff, xStride, c, cOff, cStride, add);
        }
    }

    /**
     * Six inputs {@code x[xOff + t·xStride + k]} against the panel, into
     * {@code c[cOff + t·cStride .. + NR)} (added to it when {@code add}): 24 sums in registers.
     * Vectors never cross a method boundary: a call that is not inlined would box them.
     */
    private static void kernel6x4(float[] b, int kc, float[] x, int xOff, int xStride,
                                  float[] c, int cOff, int cStride, boolean add) {
        int o0 = cOff;
        int o1 = o0 + cStride;
        int o2 = o1 + cStride;
        int o3 = o2 + cStride;
        int o4 = o3 + cStride;
        int o5 = o4 + cStride;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (add) {
            c00 = FloatVector.fromArray(S, c, o0);
            c01 = FloatVector.fromArray(S, c, o0 + V);
            c02 = FloatVector.fromArray(S, c, o0 + 2 * V);
            c03 = FloatVector.fromArray(S, c, o0 + 3 * V);
            c10 = FloatVector.fromArray(S, c, o1);
            c11 = FloatVector.fromArray(S, c, o1 + V);
            c12 = FloatVector.fromArray(S, c, o1 + 2 * V);
            c13 = FloatVector.fromArray(S, c, o1 + 3 * V);
            c20 = FloatVector.fromArray(S, c, o2);
            c21 = FloatVector.fromArray(S, c, o2 + V);
            c22 = FloatVector.fromArray(S, c, o2 + 2 * V);
            c23 = FloatVector.fromArray(S, c, o2 + 3 * V);
            c30 = FloatVector.fromArray(S, c, o3);
            c31 = FloatVector.fromArray(S, c, o3 + V);
            c32 = FloatVector.fromArray(S, c, o3 + 2 * V);
            c33 = FloatVector.fromArray(S, c, o3 + 3 * V);
            c40 = FloatVector.fromArray(S, c, o4);
            c41 = FloatVector.fromArray(S, c, o4 + V);
            c42 = FloatVector.fromArray(S, c, o4 + 2 * V);
            c43 = FloatVector.fromArray(S, c, o4 + 3 * V);
            c50 = FloatVector.fromArray(S, c, o5);
            c51 = FloatVector.fromArray(S, c, o5 + V);
            c52 = FloatVector.fromArray(S, c, o5 + 2 * V);
            c53 = FloatVector.fromArray(S, c, o5 + 3 * V);
        } else {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = FloatVector.zero(S);
            c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = c00;
        }
        int x0 = xOff;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int x4 = x3 + xStride;
        int x5 = x4 + xStride;
        for (int k = 0, bi = 0; k < kc; k++, bi += NR) {
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
    private static void kernel6x2(float[] b, int kc, float[] x, int xOff, int xStride,
                                  float[] c, int cOff, int cStride, boolean add) {
        int o0 = cOff;
        int o1 = o0 + cStride;
        int o2 = o1 + cStride;
        int o3 = o2 + cStride;
        int o4 = o3 + cStride;
        int o5 = o4 + cStride;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (add) {
            c00 = FloatVector.fromArray(S, c, o0);
            c01 = FloatVector.fromArray(S, c, o0 + V);
            c10 = FloatVector.fromArray(S, c, o1);
            c11 = FloatVector.fromArray(S, c, o1 + V);
            c20 = FloatVector.fromArray(S, c, o2);
            c21 = FloatVector.fromArray(S, c, o2 + V);
            c30 = FloatVector.fromArray(S, c, o3);
            c31 = FloatVector.fromArray(S, c, o3 + V);
            c40 = FloatVector.fromArray(S, c, o4);
            c41 = FloatVector.fromArray(S, c, o4 + V);
            c50 = FloatVector.fromArray(S, c, o5);
            c51 = FloatVector.fromArray(S, c, o5 + V);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = FloatVector.zero(S);
        }
        int x0 = xOff;
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int x4 = x3 + xStride;
        int x5 = x4 + xStride;
        for (int k = 0, bi = 0; k < kc; k++, bi += NR) {
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
