package dev.llmplatform.engine.tensor;

import dev.llmplatform.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows × cols} in some {@link GgmlType}, rows contiguous, read in place from
 * the mapped model file. The forward pass multiplies activations by weights only through this class,
 * so kernels can be specialised and parallelised here without touching model code.
 */
public final class WeightMatrix {
    private final String name;
    private final GgmlType type;
    private final TypeKernel kernel;
    private final MemorySegment data;
    private final int rows;
    private final int cols;

    public WeightMatrix(String name, GgmlType type, MemorySegment data, int rows, int cols) {
        this.name = name;
        this.type = type;
        this.kernel = Kernels.forType(type);
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        if (type.byteSize((long) rows * cols) != data.byteSize()) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes do not hold " + rows + "×" + cols + " " + type);
        }
    }

    /** A 1-D or 2-D GGUF tensor as a matrix (a 1-D tensor is one row). */
    public static WeightMatrix of(GgufTensor t) {
        if (t.shape().length > 2) {
            throw new IllegalArgumentException(t.name() + " has " + t.shape().length + " dimensions");
        }
        return new WeightMatrix(t.name(), t.type(), t.data(), Math.toIntExact(t.rowCount()), Math.toIntExact(t.rowLength()));
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

    /** Dot product of row {@code row} with {@code x[xOff..xOff+cols)}. */
    public float dotRow(int row, float[] x, int xOff) {
        return kernel.dot(data, (long) row * cols, x, xOff, cols);
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
     * another: matrix × matrix (prompt processing). Rows are split across the shared worker pool.
     */
    public void matmul(float[] x, int batch, float[] out) {
        Parallel.forRange(rows, (start, end) -> {
            for (int b = 0; b < batch; b++) {
                int xOff = b * cols;
                int outOff = b * rows;
                for (int r = start; r < end; r++) {
                    out[outOff + r] = kernel.dot(data, (long) r * cols, x, xOff, cols);
                }
            }
        });
    }
}
