package dev.llmplatform.engine.gguf;

import dev.llmplatform.engine.tensor.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files: metadata and tensors of any {@link GgmlType}.
 *
 * <p>Tensor bytes are supplied by a {@link TensorData} callback when the file is written, so files
 * larger than the heap (a 1B-parameter benchmark model, a 2+ GiB test file) can be produced.
 */
public final class GgufWriter {

    /** Produces exactly the tensor's bytes, in ggml's layout for its type. */
    @FunctionalInterface
    public interface TensorData {
        void writeTo(WritableByteChannel out) throws IOException;

        static TensorData of(byte[] bytes) {
            return out -> writeFully(out, ByteBuffer.wrap(bytes));
        }

        static TensorData ofF32(float[] values) {
            return out -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
                writeFully(out, b);
            };
        }
    }

    private record PendingTensor(String name, GgmlType type, long[] shape, long bytes, TensorData data) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        if (key.equals("general.alignment")) {
            alignment = Math.toIntExact(((Number) value.value()).longValue());
        }
        return this;
    }

    public GgufWriter put(String key, String value) {
        return put(key, GgufValue.of(value));
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValue.ofUint32(value));
    }

    public GgufWriter put(String key, float value) {
        return put(key, GgufValue.of(value));
    }

    public GgufWriter put(String key, boolean value) {
        return put(key, GgufValue.of(value));
    }

    public GgufWriter put(String key, String[] values) {
        return put(key, GgufValue.of(values));
    }

    public GgufWriter put(String key, float[] values) {
        return put(key, GgufValue.of(values));
    }

    public GgufWriter putInt32(String key, int[] values) {
        return put(key, GgufValue.ofInt32(values));
    }

    /** Copies every metadata entry of {@code source}. */
    public GgufWriter putAll(GgufMetadata source) {
        source.entries().forEach(this::put);
        return this;
    }

    /**
     * Adds a tensor.
     *
     * @param shape ggml order, innermost dimension first
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorData data) {
        long elements = 1;
        for (long d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        tensors.add(new PendingTensor(name, type, shape.clone(), type.byteSize(elements), data));
        return this;
    }

    public GgufWriter addF32(String name, long[] shape, float[] values) {
        return addTensor(name, GgmlType.F32, shape, TensorData.ofF32(values));
    }

    public void write(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch);
        }
    }

    public void write(WritableByteChannel out) throws IOException {
        Encoder header = new Encoder();
        header.i32(GgufFile.MAGIC);
        header.i32(3);
        header.i64(tensors.size());
        header.i64(metadata.size());
        for (var e : metadata.entrySet()) {
            header.string(e.getKey());
            header.i32(e.getValue().type().id());
            header.value(e.getValue());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            header.string(t.name());
            header.i32(t.shape().length);
            for (long d : t.shape()) {
                header.i64(d);
            }
            header.i32(t.type().id());
            header.i64(offset);
            offset = GgufFile.alignUp(offset + t.bytes(), alignment);
        }
        long written = header.size();
        writeFully(out, header.buffer());
        written += pad(out, written);
        for (PendingTensor t : tensors) {
            CountingChannel counting = new CountingChannel(out);
            t.data().writeTo(counting);
            if (counting.count != t.bytes()) {
                throw new IllegalStateException("tensor '" + t.name() + "' wrote " + counting.count
                        + " bytes, its type and shape need " + t.bytes());
            }
            written += counting.count;
            written += pad(out, written);
        }
    }

    private long pad(WritableByteChannel out, long position) throws IOException {
        int padding = (int) (GgufFile.alignUp(position, alignment) - position);
        writeFully(out, ByteBuffer.allocate(padding));
        return padding;
    }

    public static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel delegate;
        long count;

        CountingChannel(WritableByteChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = delegate.write(src);
            count += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() {
        }
    }

    /** A growable little-endian buffer for the header. */
    private static final class Encoder {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(long n) {
            if (buf.remaining() < n) {
                long want = Math.max((long) buf.capacity() * 2, buf.position() + n);
                ByteBuffer bigger = ByteBuffer.allocate(Math.toIntExact(want)).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        long size() {
            return buf.position();
        }

        ByteBuffer buffer() {
            return buf.flip();
        }

        void i8(int v) {
            ensure(1);
            buf.put((byte) v);
        }

        void i16(int v) {
            ensure(2);
            buf.putShort((short) v);
        }

        void i32(int v) {
            ensure(4);
            buf.putInt(v);
        }

        void i64(long v) {
            ensure(8);
            buf.putLong(v);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            ensure(b.length);
            buf.put(b);
        }

        void value(GgufValue v) {
            if (v.type() == GgufValueType.ARRAY) {
                array(v.elementType(), v.value());
            } else {
                scalar(v.type(), v.value());
            }
        }

        private void scalar(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> i8(((Number) v).intValue());
                case UINT16, INT16 -> i16(((Number) v).intValue());
                case UINT32, INT32 -> i32((int) ((Number) v).longValue());
                case UINT64, INT64 -> i64(((Number) v).longValue());
                case FLOAT32 -> i32(Float.floatToRawIntBits(((Number) v).floatValue()));
                case FLOAT64 -> i64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
                case BOOL -> i8((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> throw new IllegalArgumentException("use array()");
            }
        }

        private void array(GgufValueType et, Object v) {
            i32(et.id());
            switch (v) {
                case int[] a -> {
                    i64(a.length);
                    for (int x : a) {
                        scalar(et, x);
                    }
                }
                case long[] a -> {
                    i64(a.length);
                    for (long x : a) {
                        scalar(et, x);
                    }
                }
                case float[] a -> {
                    i64(a.length);
                    for (float x : a) {
                        scalar(et, x);
                    }
                }
                case double[] a -> {
                    i64(a.length);
                    for (double x : a) {
                        scalar(et, x);
                    }
                }
                case boolean[] a -> {
                    i64(a.length);
                    for (boolean x : a) {
                        scalar(et, x);
                    }
                }
                case String[] a -> {
                    i64(a.length);
                    for (String x : a) {
                        string(x);
                    }
                }
                case List<?> nested -> {
                    i64(nested.size());
                    for (Object o : nested) {
                        GgufValue inner = (GgufValue) o;
                        array(inner.elementType(), inner.value());
                    }
                }
                default -> throw new IllegalArgumentException("not an array value: " + v.getClass());
            }
        }
    }
}
