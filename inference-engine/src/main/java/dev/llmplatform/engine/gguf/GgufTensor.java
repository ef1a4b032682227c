package dev.llmplatform.engine.gguf;

import dev.llmplatform.engine.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * One tensor of a GGUF file: its name, type, shape and a view of its bytes in the mapped file.
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
}
