package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows × cols} in some {@link GgmlType}, rows contiguous in the mapped model
 * file; the hot quantized types are multiplied from an interleaved copy made by {@link #prepare}. The
 * forward pass multiplies activations by weights only through this class, so kernels can be specialised
 * and parallelised here without touching model code.
 */
public final class WeightMatrix {
    /** Weights per row tile in {@link #matmul}: well inside a core's L2 cache. */
    private static final long TILE_BYTES = 256 * 1024;
    private static final ThreadLocal<MatmulTask> TASKS = ThreadLocal.withInitial(MatmulTask::new);
    /** {@code -Dllmp.interleave=false} keeps every product on the mapped file (to compare, or to save memory). */
    private static final boolean INTERLEAVE = !"false".equals(System.getProperty("llmp.interleave"));
    /**
     * Batches of at least this many inputs run as {@link PanelGemm} (weights dequantized once per call,
     * then an F32 GEMM); {@code -Dllmp.panelGemm=false} keeps them on the row-group kernels (to compare).
     */
    private static final int PANEL_GEMM_MIN_BATCH = "false".equals(System.getProperty("llmp.panelGemm"))
            ? Integer.MAX_VALUE : Integer.getInteger("llmp.panelGemm.minBatch", 32);

    private final String name;
    private final GgmlType type;
    private final TypeKernel kernel;
    private final RowKernel rowKernel;
    private final int rowTile;
    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final boolean interleave;
    /** The owning model's pool and arena: products run on the one, the interleaved copy lives in the other. */
    private final ComputeResources resources;
    private final Parallel parallel;
    /** The interleaved copy, made by {@link #prepare} or the first product; {@link #NONE} where there is none. */
    private volatile Object interleaved;
    private static final Object NONE = new Object();

    /** A matrix over {@code data} whose products run with {@code resources} (its owner's pool and arena). */
    public WeightMatrix(String name, GgmlType type, MemorySegment data, int rows, int cols, ComputeResources resources) {
        this(name, type, data, rows, cols, resources, INTERLEAVE);
    }

    /** With {@code interleave} false, products always run on the file layout (tests of the row kernels). */
    WeightMatrix(String name, GgmlType type, MemorySegment data, int rows, int cols, ComputeResources resources,
                 boolean interleave) {
        this.interleave = interleave;
        this.resources = resources;
        this.parallel = resources.parallel();
        this.name = name;
        this.type = type;
        this.kernel = Kernels.forType(type);
        this.rowKernel = RowKernels.forType(type);
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        if (type.byteSize((long) rows * cols) != data.byteSize()) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes do not hold " + rows + "×" + cols + " " + type);
        }
        this.rowTile = rowTile(type, cols);
    }

    /**
     * Bytes that {@code fileBytes} of {@code type} weights occupy once a model is loaded: the size of the
     * interleaved copy where products use one (see {@link #prepare}), else the mapped bytes themselves.
     */
    public static long residentBytes(GgmlType type, long fileBytes) {
        return INTERLEAVE && RowKernels.simd() ? InterleavedMatrix.residentBytes(type, fileBytes) : fileBytes;
    }

    /** {@code rows × cols} values of {@code type} in {@code data} as floats, rows one after another. */
    public static float[] dequantize(GgmlType type, MemorySegment data, int rows, int cols) {
        TypeKernel kernel = Kernels.forType(type);
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            kernel.dequantize(data, (long) r * cols, out, r * cols, cols);
        }
        return out;
    }

    public String name() {
        return name;
    }

    public GgmlType type() {
        return type;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public MemorySegment data() {
        return data;
    }

    /**
     * Makes the SIMD-friendly copy of the weights now rather than on the first product (see
     * {@link InterleavedMatrix}); model loading calls this so the first request does not pay for it.
     */
    public void prepare() {
        interleaved();
    }

    /** The interleaved copy's memory, or null where products use the file layout (for tests of ownership). */
    MemorySegment interleavedCopy() {
        InterleavedMatrix m = interleaved();
        return m == null ? null : m.packed;
    }

    /** Whether products run on an interleaved copy of the weights (for diagnostics and tests). */
    public boolean isInterleaved() {
        return interleaved() != null;
    }

    private InterleavedMatrix interleaved() {
        Object m = interleaved;
        if (m == null) {
            synchronized (this) {
                m = interleaved;
                if (m == null) {
                    InterleavedMatrix made = interleave && RowKernels.simd()
                            ? InterleavedMatrix.of(type, data, rows, cols, resources) : null;
                    m = made != null ? made : NONE;
                    interleaved = m;
                }
            }
        }
        return m == NONE ? null : (InterleavedMatrix) m;
    }

    /** Dot product of row {@code row} with {@code x[xOff..xOff+cols)}. */
    public float dotRow(int row, float[] x, int xOff) {
        return rowKernel.dot(data, (long) row * cols, x, xOff, cols);
    }

    /** Writes row {@code row} as floats into {@code out[outOff..]} (e.g. an embedding lookup). */
    public void dequantizeRow(int row, float[] out, int outOff) {
        kernel.dequantize(data, (long) row * cols, out, outOff, cols);
    }

    /** {@code out[r] = W[r]·x} for every row: matrix × vector (one decode step). */
    public void matvec(float[] x, float[] out) {
        matmul(x, 1, out);
    }

    /**
     * {@code out[b·rows + r] = W[r]·x[b·cols ..]} for {@code batch} input vectors laid out one after
     * another: matrix × matrix (prompt processing). Rows are split across the owning model's worker pool. A
     * large batch runs as {@link PanelGemm} (weights dequantized once, then an F32 GEMM); a small one decodes
     * each row's blocks once for four or eight inputs at a time, visiting rows in tiles small enough to stay
     * in the core's cache while every input passes over them.
     */
    public void matmul(float[] x, int batch, float[] out) {
        if (x.length < (long) batch * cols || out.length < (long) batch * rows) {
            throw new IllegalArgumentException(name + ": " + batch + " inputs need x of " + (long) batch * cols
                    + " and out of " + (long) batch * rows + " floats, got " + x.length + " and " + out.length);
        }
        // A closed model fails here, clearly, rather than inside a kernel on freed memory.
        resources.checkOpen();
        InterleavedMatrix im = interleaved();
        if (batch >= PANEL_GEMM_MIN_BATCH && RowKernels.simd()) {
            PanelGemm gemm = new PanelGemm(im, kernel, data, rows, cols);
            parallel.forRange(PanelGemm.panels(rows), 1, (p0, p1) -> gemm.multiplyPanels(x, batch, out, p0, p1));
            return;
        }
        MatmulTask task = TASKS.get();
        task.set(this, im, x, batch, out);
        try {
            if (im != null) {
                // Work items are groups of rows; a chunk of them stays cached while all inputs pass.
                int tileGroups = Math.max(1, rowTile / im.groupRows);
                if (batch == 1) {
                    // A group is dozens of rows: split even small matrices (K, V) across threads.
                    parallel.forRange(im.groups, parallel.quarterGrain(im.groups), task);
                } else {
                    parallel.forRange(im.groups, Math.max(1, Math.min(tileGroups, Parallel.ceilDiv(im.groups, 2 * parallel.threads()))), task);
                }
                multiplyRows(x, batch, out, im.rows(), rows);
            } else if (batch == 1) {
                parallel.forRange(rows, task);
            } else {
                int grain = Math.min(rowTile, Parallel.ceilDiv(rows, 2 * parallel.threads()));
                parallel.forRange(rows, Math.max(1, grain), task);
            }
        } finally {
            task.set(null, null, null, 0, null);
        }
    }

    /** Groups [g0, g1) of {@link #matmul} on the interleaved copy. */
    private void multiplyGroups(InterleavedMatrix im, float[] x, int batch, float[] out, int g0, int g1) {
        int b = 0;
        for (; b + 8 <= batch; b += 8) {
            im.multiply8(x, b * cols, out, b * rows, rows, g0, g1);
        }
        for (; b + 4 <= batch; b += 4) {
            im.multiply4(x, b * cols, out, b * rows, rows, g0, g1);
        }
        for (; b < batch; b++) {
            im.multiply(x, b * cols, out, b * rows, g0, g1);
        }
    }

    /** Rows [start, end) of {@link #matmul}. */
    void multiplyRows(float[] x, int batch, float[] out, int start, int end) {
        if (batch == 1) {
            // Walk the two halves of the range together: two independent streams through memory.
            int half = (end - start) / 2;
            for (int r = start; r < start + half; r++) {
                rowKernel.dot2(data, (long) r * cols, (long) (r + half) * cols, x, cols, out, r, r + half);
            }
            for (int r = start + 2 * half; r < end; r++) {
                out[r] = rowKernel.dot(data, (long) r * cols, x, 0, cols);
            }
            return;
        }
        for (int r0 = start; r0 < end; r0 += rowTile) {
            int r1 = Math.min(end, r0 + rowTile);
            int b = 0;
            for (; b + 4 <= batch; b += 4) {
                for (int r = r0; r < r1; r++) {
                    rowKernel.dot4(data, (long) r * cols, x, b * cols, cols, cols, out, b * rows + r, rows);
                }
            }
            for (; b < batch; b++) {
                for (int r = r0; r < r1; r++) {
                    out[b * rows + r] = rowKernel.dot(data, (long) r * cols, x, b * cols, cols);
                }
            }
        }
    }

    /** Rows of a tile: about {@link #TILE_BYTES} of weights, which all inputs pass over while cached. */
    private static int rowTile(GgmlType type, int cols) {
        long rowBytes = type.byteSize(cols);
        return (int) Math.max(1, Math.min(1024, TILE_BYTES / Math.max(1, rowBytes)));
    }

    /**
     * The arguments of one {@link #matmul} call, reused per calling thread so that a decode step
     * allocates nothing.
     */
    private static final class MatmulTask implements Parallel.RangeBody {
        private WeightMatrix matrix;
        private InterleavedMatrix interleaved;
        private float[] x;
        private int batch;
        private float[] out;

        void set(WeightMatrix matrix, InterleavedMatrix interleaved, float[] x, int batch, float[] out) {
            this.matrix = matrix;
            this.interleaved = interleaved;
            this.x = x;
            this.batch = batch;
            this.out = out;
        }

        @Override
        public void run(int start, int end) {
            if (interleaved != null) {
                matrix.multiplyGroups(interleaved, x, batch, out, start, end);
            } else {
                matrix.multiplyRows(x, batch, out, start, end);
            }
        }
    }
}
