package dev.llmplatform.engine.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An ONNX {@code TensorProto}: an initializer or a constant. The values stay where the file holds them
 * ({@code raw_data}, little-endian, or a typed repeated field) until {@link #floats()} or
 * {@link #longs()} converts them.
 */
public final class OnnxTensor {
    /** {@code TensorProto.DataType} codes used here. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int DOUBLE = 11;

    private final String name;
    private final int dataType;
    private final long[] dims;
    private final ProtoReader.Slice raw;
    private final float[] floatData;
    private final long[] integerData;
    private final double[] doubleData;

    private OnnxTensor(String name, int dataType, long[] dims, ProtoReader.Slice raw, float[] floatData,
                       long[] integerData, double[] doubleData) {
        this.name = name;
        this.dataType = dataType;
        this.dims = dims;
        this.raw = raw;
        this.floatData = floatData;
        this.integerData = integerData;
        this.doubleData = doubleData;
    }

    static OnnxTensor decode(ProtoReader in) {
        String name = "";
        int dataType = 0;
        LongList dims = new LongList();
        ProtoReader.Slice raw = null;
        FloatList floats = new FloatList();
        LongList integers = new LongList();
        DoubleList doubles = new DoubleList();
        boolean external = false;
        while (in.hasMore()) {
            in.readTag();
            switch (in.fieldNumber()) {
                case 1 -> in.readVarints(dims::add);
                case 2 -> dataType = (int) in.readVarint();
                case 4 -> readFloats(in, floats);
                case 5, 7 -> in.readVarints(integers::add);
                case 8 -> name = in.readString();
                case 9 -> raw = in.readBytesSlice();
                case 10 -> readDoubles(in, doubles);
                case 14 -> external = in.readVarint() == 1;
                default -> in.skipField();
            }
        }
        if (external) {
            throw new OnnxException("tensor '" + name + "' keeps its data in an external file, which is not supported");
        }
        return new OnnxTensor(name, dataType, dims.toArray(), raw, floats.toArray(), integers.toArray(), doubles.toArray());
    }

    private static void readFloats(ProtoReader in, FloatList out) {
        if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = in.readMessage();
            while (packed.hasMore()) {
                out.add(packed.readFloat());
            }
        } else {
            out.add(in.readFloat());
        }
    }

    private static void readDoubles(ProtoReader in, DoubleList out) {
        if (in.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = in.readMessage();
            while (packed.hasMore()) {
                out.add(Double.longBitsToDouble(packed.readFixed64()));
            }
        } else {
            out.add(Double.longBitsToDouble(in.readFixed64()));
        }
    }

    public String name() {
        return name;
    }

    public int dataType() {
        return dataType;
    }

    /** The shape, outermost dimension first (ONNX/NumPy order). */
    public long[] dims() {
        return dims.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The values of a FLOAT (or DOUBLE) tensor as floats, row-major. */
    public float[] floats() {
        int n = Math.toIntExact(elementCount());
        if (dataType == FLOAT) {
            if (raw != null) {
                checkRawSize(n, 4);
                float[] out = new float[n];
                ByteBuffer.wrap(raw.buf(), raw.offset(), raw.length()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
                return out;
            }
            checkCount(floatData.length, n);
            return floatData.clone();
        }
        if (dataType == DOUBLE) {
            double[] d = doubles(n);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        throw new OnnxException("tensor '" + name + "' has data type " + dataType + ", expected FLOAT");
    }

    /** The values of an integer tensor (INT64 or INT32) as longs. */
    public long[] longs() {
        int n = Math.toIntExact(elementCount());
        if (dataType != INT64 && dataType != INT32) {
            throw new OnnxException("tensor '" + name + "' has data type " + dataType + ", expected an integer type");
        }
        if (raw != null) {
            int width = dataType == INT64 ? 8 : 4;
            checkRawSize(n, width);
            ByteBuffer b = ByteBuffer.wrap(raw.buf(), raw.offset(), raw.length()).order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = width == 8 ? b.getLong() : b.getInt();
            }
            return out;
        }
        checkCount(integerData.length, n);
        return integerData.clone();
    }

    /** A scalar or one-element tensor's value as a double, whatever its numeric type. */
    public double scalar() {
        if (elementCount() != 1) {
            throw new OnnxException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " is not a scalar");
        }
        return switch (dataType) {
            case FLOAT, DOUBLE -> floats()[0];
            case INT32, INT64 -> longs()[0];
            default -> throw new OnnxException("tensor '" + name + "' has unsupported data type " + dataType);
        };
    }

    private double[] doubles(int n) {
        if (raw != null) {
            checkRawSize(n, 8);
            double[] out = new double[n];
            ByteBuffer.wrap(raw.buf(), raw.offset(), raw.length()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            return out;
        }
        checkCount(doubleData.length, n);
        return doubleData;
    }

    private void checkRawSize(int n, int width) {
        if ((long) n * width != raw.length()) {
            throw new OnnxException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " has " + raw.length()
                    + " bytes of raw data, expected " + (long) n * width);
        }
    }

    private void checkCount(int have, int n) {
        if (have != n) {
            throw new OnnxException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " holds " + have
                    + " values, expected " + n);
        }
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims) + " type " + dataType;
    }

    private static final class LongList {
        long[] a = new long[4];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class FloatList {
        float[] a = new float[4];
        int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class DoubleList {
        double[] a = new double[4];
        int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
