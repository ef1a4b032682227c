package dev.llmplatform.engine.gguf;

import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;

/**
 * One tensor of a GGUF file: its name, type, shape and a view of its bytes in the mapped file. The file
 * format sits above the {@code tensor} package (element types, matrices), which knows nothing of GGUF.
 *
 * @param shape ggml order: {@code shape[0]} is the innermost (contiguous) dimension, i.e. a row's length
 * @param data  the tensor's bytes, a slice of the file mapping (no copy)
 */
public record GgufTensor(String name, GgmlType type, long[] shape, long offset, MemorySegment data) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Elements in one row (the innermost dimension). */
    public long rowLength() {
        return shape[0];
    }

    /** Number of rows: the product of all but the innermost dimension. */
    public long rowCount() {
        return elementCount() / shape[0];
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** This 1-D or 2-D tensor as a matrix (a 1-D tensor is one row), computed with {@code resources}. */
    public WeightMatrix matrix(ComputeResources resources) {
        requireMatrixShape();
        return new WeightMatrix(name, type, data, Math.toIntExact(rowCount()), Math.toIntExact(rowLength()), resources);
    }

    /** This 1-D or 2-D tensor's values as floats, rows one after another (norm weights, tables). */
    public float[] floats() {
        requireMatrixShape();
        return WeightMatrix.dequantize(type, data, Math.toIntExact(rowCount()), Math.toIntExact(rowLength()));
    }

    private void requireMatrixShape() {
        if (shape.length > 2) {
            throw new IllegalArgumentException(name + " has " + shape.length + " dimensions");
        }
    }
}
