package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Prompt processing ({@link WeightMatrix#matmul} with many inputs) as an F32 GEMM over weights that are
 * dequantized once per call. The rows are cut into panels of {@link PanelKernel#NR} (four vectors with
 * AVX-512, two otherwise); for each panel and block of {@link #KC} columns, the weights are dequantized
 * into a per-thread scratch panel laid out {@code [column][NR]}, and then every input of the batch passes
 * over it in the engine's one register-blocked microkernel, {@link PanelKernel} (the encoder's GEMM runs
 * the same kernel over panels packed at load). Decoding a weight costs the same as in the interleaved
 * kernels' {@code multiply8}, but it is paid once for the whole batch instead of once per eight inputs,
 * and the kernel's inner loop is nothing but loads and FMAs.
 *
 * <p>The first column block writes {@code out}, later ones add to it. Weights come from the interleaved
 * copy where there is one ({@link InterleavedMatrix#dequantize}, vectorised) and from the file layout
 * through the type's {@link TypeKernel#dequantize} otherwise, which covers every type with a kernel
 * (F32, F16, BF16, Q5_K, …) and the rows past the interleaved copy's last whole group.
 *
 * <p>Loaded only where the Vector API is (see {@link RowKernels#simd()}).
 */
final class PanelGemm {
    /** Rows per panel (the kernel's panel width): a multiple of the rows every interleaved layout dequantizes at once. */
    private static final int NR = PanelKernel.NR;
    /**
     * Columns per block: a panel of 256 KiB (1024 columns with AVX-512, 4096 with 256-bit vectors), which
     * stays in L2 while all inputs pass over it. A multiple of the K-quant super-block, so blocks align
     * with every type's. Long blocks pay because each kernel call has a fixed cost (six new input streams,
     * 6 × NR sums loaded and stored): 256-column blocks ran up to 25 % slower per CPU-second at 256 bits,
     * 3–6 % at 512 (docs/benchmarks.md, "Prompt processing end to end"). Products are the same bit for bit
     * at any block length, since the sums pass between blocks through the F32 output.
     * {@code -Dllmp.panelGemm.kc=N} (a multiple of 256) sets it, to compare.
     */
    static final int KC = columnsPerBlock(Integer.getInteger("llmp.panelGemm.kc", 65536 / NR));

    /**
     * Per-thread scratch, kept by each worker of the model's pool (and each calling thread) for its
     * lifetime: the panel and a row of the file layout. About 260 KiB, so products allocate nothing per call.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] panel = new float[KC * NR];
        final float[] row = new float[KC];
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
        this.interleaved = interleaved != null && NR % interleaved.dequantizeRows() == 0 ? interleaved : null;
        this.kernel = kernel;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    private static int columnsPerBlock(int kc) {
        if (kc < 256 || kc % 256 != 0) {
            throw new IllegalArgumentException("-Dllmp.panelGemm.kc must be a positive multiple of 256, got " + kc);
        }
        return kc;
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
                multiplyPanel(scratch.panel, x, batch, out, row0, width, k0, kc);
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
            int step = interleaved.dequantizeRows();
            int blockCols = interleaved.blockCols;
            int covered = Math.min(end, interleaved.rows());
            for (; r + step <= covered; r += step) {
                int g = r / groupRows;
                for (int c = 0; c < kc; c += blockCols) {
                    interleaved.dequantize(g, r % groupRows, (k0 + c) / blockCols, panel, c * NR + (r - row0), NR);
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

    /** All inputs against the decoded panel: the first column block starts from zeros, later ones add to {@code out}. */
    private void multiplyPanel(float[] panel, float[] x, int batch, float[] out, int row0, int width, int k0, int kc) {
        if (k0 > 0) {
            PanelKernel.multiply(panel, 0, kc, x, k0, cols, batch, out, row0, rows, out, row0, rows, width);
        } else {
            PanelKernel.multiply(panel, 0, kc, x, k0, cols, batch, out, row0, rows, width);
        }
    }
}
