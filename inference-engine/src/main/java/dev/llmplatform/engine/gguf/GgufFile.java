package dev.llmplatform.engine.gguf;

import dev.llmplatform.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (versions 2 and 3), memory-mapped read-only with {@code java.lang.foreign}.
 *
 * <p>Metadata is parsed eagerly; tensor data stays in the mapping and is exposed as
 * {@link MemorySegment} slices, so multi-GB weights never touch the Java heap. Every length, count and
 * offset read from the file is checked against the bytes that remain before it is trusted: a truncated
 * or corrupted file fails with a {@link GgufException} that names the problem.
 *
 * <p>Close the file to unmap it; tensor segments must not be used afterwards.
 */
public final class GgufFile implements AutoCloseable {
    public static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
    public static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensor> tensors;
    private final long dataOffset;
    private final int alignment;

    private GgufFile(Path path, Arena arena, int version, GgufMetadata metadata,
                     Map<String, GgufTensor> tensors, long dataOffset, int alignment) {
        this.path = path;
        this.arena = arena;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.dataOffset = dataOffset;
        this.alignment = alignment;
    }

    /** Maps and parses {@code path}. */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return parse(path, arena, file);
        } catch (IOException e) {
            arena.close();
            throw new GgufException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            if (e instanceof GgufException g) {
                throw new GgufException(path.getFileName() + ": " + g.getMessage(), g);
            }
            throw e;
        }
    }

    /** Parses a GGUF image that is already in memory (e.g. a test's byte array). */
    public static GgufFile parse(MemorySegment image) {
        return parse(null, Arena.ofShared(), image);
    }

    private static GgufFile parse(Path path, Arena arena, MemorySegment file) {
        Cursor in = new Cursor(file);
        int magic = in.i32("magic");
        if (magic != MAGIC) {
            throw new GgufException(String.format("not a GGUF file (magic 0x%08x, expected \"GGUF\")", magic));
        }
        int version = in.i32("version");
        if (version == 1) {
            throw new GgufException("GGUF version 1 is not supported (re-convert the model with a current llama.cpp)");
        }
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw new GgufException("big-endian GGUF files are not supported");
            }
            throw new GgufException("unsupported GGUF version " + Integer.toUnsignedString(version));
        }
        long tensorCount = in.count("tensor count", 8 + 4 + 8 + 4 + 8); // smallest tensor info
        long kvCount = in.count("metadata count", 8 + 4 + 1);            // smallest key/value

        Map<String, GgufValue> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            GgufValueType type = in.valueType("value type of '" + key + "'");
            if (kv.put(key, in.value(key, type, 0)) != null) {
                throw new GgufException("duplicate metadata key '" + key + "'");
            }
        }
        GgufMetadata metadata = new GgufMetadata(kv);

        int alignment = DEFAULT_ALIGNMENT;
        if (metadata.has("general.alignment")) {
            long a = metadata.requireInteger("general.alignment");
            if (a <= 0 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw new GgufException("general.alignment " + a + " is not a power of two");
            }
            alignment = (int) a;
        }

        record Info(String name, GgmlType type, long[] shape, long offset, long bytes) {}
        List<Info> infos = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string("tensor name #" + i);
            int nDims = in.i32("dimension count of '" + name + "'");
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw new GgufException("tensor '" + name + "' has " + nDims + " dimensions (1.." + MAX_DIMS + " allowed)");
            }
            long[] shape = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                shape[d] = in.i64("dimension of '" + name + "'");
                if (shape[d] <= 0) {
                    throw new GgufException("tensor '" + name + "' has dimension " + shape[d]);
                }
                try {
                    elements = Math.multiplyExact(elements, shape[d]);
                } catch (ArithmeticException e) {
                    throw new GgufException("tensor '" + name + "' has too many elements: " + Arrays.toString(shape));
                }
            }
            int typeId = in.i32("type of '" + name + "'");
            GgmlType type = GgmlType.fromId(typeId);
            if (type == null) {
                throw new GgufException("tensor '" + name + "' has unknown type id " + typeId);
            }
            if (shape[0] % type.blockSize() != 0) {
                throw new GgufException("tensor '" + name + "' of type " + type + " has rows of " + shape[0]
                        + " elements, not a multiple of the block size " + type.blockSize());
            }
            long offset = in.i64("offset of '" + name + "'");
            if (offset < 0 || offset % alignment != 0) {
                throw new GgufException("tensor '" + name + "' has offset " + offset + ", not a multiple of the alignment " + alignment);
            }
            long bytes;
            try {
                bytes = type.byteSize(elements);
            } catch (ArithmeticException e) {
                throw new GgufException("tensor '" + name + "' is too large");
            }
            infos.add(new Info(name, type, shape, offset, bytes));
        }

        long dataOffset = alignUp(in.position(), alignment);
        long dataSize = file.byteSize() - dataOffset;
        Map<String, GgufTensor> tensors = new LinkedHashMap<>();
        for (Info t : infos) {
            if (tensorCount > 0 && (dataSize < 0 || t.offset() > dataSize || t.bytes() > dataSize - t.offset())) {
                throw new GgufException("tensor '" + t.name() + "' (" + t.bytes() + " bytes at data offset " + t.offset()
                        + ") extends past the end of the file; the file is truncated");
            }
            MemorySegment data = file.asSlice(dataOffset + t.offset(), t.bytes());
            if (tensors.put(t.name(), new GgufTensor(t.name(), t.type(), t.shape(), t.offset(), data)) != null) {
                throw new GgufException("duplicate tensor name '" + t.name() + "'");
            }
        }
        return new GgufFile(path, arena, version, metadata, Collections.unmodifiableMap(tensors), dataOffset, alignment);
    }

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    /** The file this was read from, or {@code null} for an in-memory image. */
    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensors in file order. */
    public Map<String, GgufTensor> tensors() {
        return tensors;
    }

    public Optional<GgufTensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public GgufTensor requireTensor(String name) {
        GgufTensor t = tensors.get(name);
        if (t == null) {
            throw new GgufException("tensor '" + name + "' is missing");
        }
        return t;
    }

    /** Offset of the tensor data section from the start of the file. */
    public long dataOffset() {
        return dataOffset;
    }

    public int alignment() {
        return alignment;
    }

    /** The architecture named by {@code general.architecture}. */
    public String architecture() {
        return metadata.requireString("general.architecture");
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Reads little-endian values from the mapping, checking each read against the bytes that remain. */
    private static final class Cursor {
        private static final int MAX_NESTING = 8;
        private final MemorySegment seg;
        private long pos;

        Cursor(MemorySegment seg) {
            this.seg = seg;
        }

        long position() {
            return pos;
        }

        private long remaining() {
            return seg.byteSize() - pos;
        }

        private void need(long bytes, String what) {
            if (bytes < 0 || bytes > remaining()) {
                throw new GgufException("file truncated while reading " + what + " at byte " + pos
                        + " (needs " + bytes + " bytes, " + remaining() + " left)");
            }
        }

        int i32(String what) {
            need(4, what);
            int v = seg.get(INT, pos);
            pos += 4;
            return v;
        }

        long i64(String what) {
            need(8, what);
            long v = seg.get(LONG, pos);
            pos += 8;
            return v;
        }

        /** A count of items that each take at least {@code minItemBytes}: bounded by the bytes left. */
        long count(String what, long minItemBytes) {
            long n = i64(what);
            if (n < 0 || (minItemBytes > 0 && n > remaining() / minItemBytes)) {
                throw new GgufException(what + " " + Long.toUnsignedString(n) + " is impossible: only "
                        + remaining() + " bytes remain");
            }
            return n;
        }

        String string(String what) {
            long len = i64("length of " + what);
            if (len < 0 || len > remaining()) {
                throw new GgufException("length " + Long.toUnsignedString(len) + " of " + what + " at byte " + (pos - 8)
                        + " exceeds the " + remaining() + " bytes left; the file is truncated or corrupted");
            }
            byte[] bytes = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
            pos += len;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        GgufValueType valueType(String what) {
            int id = i32(what);
            GgufValueType t = GgufValueType.fromId(id);
            if (t == null) {
                throw new GgufException(what + ": unknown type id " + id);
            }
            return t;
        }

        GgufValue value(String key, GgufValueType type, int depth) {
            String what = "value of '" + key + "'";
            return switch (type) {
                case UINT8 -> scalar(type, Byte.toUnsignedInt(i8(what)));
                case INT8 -> scalar(type, (int) i8(what));
                case UINT16 -> scalar(type, Short.toUnsignedInt(i16(what)));
                case INT16 -> scalar(type, (int) i16(what));
                case UINT32 -> scalar(type, Integer.toUnsignedLong(i32(what)));
                case INT32 -> scalar(type, i32(what));
                case UINT64, INT64 -> scalar(type, i64(what));
                case FLOAT32 -> scalar(type, Float.intBitsToFloat(i32(what)));
                case FLOAT64 -> scalar(type, Double.longBitsToDouble(i64(what)));
                case BOOL -> {
                    byte b = i8(what);
                    if (b != 0 && b != 1) {
                        throw new GgufException(what + " is not a boolean (byte " + b + ")");
                    }
                    yield scalar(type, b == 1);
                }
                case STRING -> scalar(type, string(what));
                case ARRAY -> array(key, depth);
            };
        }

        private static GgufValue scalar(GgufValueType type, Object v) {
            return new GgufValue(type, null, v);
        }

        private byte i8(String what) {
            need(1, what);
            return seg.get(ValueLayout.JAVA_BYTE, pos++);
        }

        private short i16(String what) {
            need(2, what);
            short v = seg.get(SHORT, pos);
            pos += 2;
            return v;
        }

        private GgufValue array(String key, int depth) {
            if (depth >= MAX_NESTING) {
                throw new GgufException("arrays in '" + key + "' are nested deeper than " + MAX_NESTING);
            }
            GgufValueType et = valueType("element type of '" + key + "'");
            long count = count("length of array '" + key + "'", et.minBytes);
            if (count > Integer.MAX_VALUE - 8) {
                throw new GgufException("array '" + key + "' has " + count + " elements, more than Java arrays hold");
            }
            int n = (int) count;
            String what = "array '" + key + "'";
            Object value = switch (et) {
                case UINT8, INT8, UINT16, INT16, INT32 -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = switch (et) {
                            case UINT8 -> Byte.toUnsignedInt(i8(what));
                            case INT8 -> i8(what);
                            case UINT16 -> Short.toUnsignedInt(i16(what));
                            case INT16 -> i16(what);
                            default -> i32(what);
                        };
                    }
                    yield a;
                }
                case UINT32, UINT64, INT64 -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = et == GgufValueType.UINT32 ? Integer.toUnsignedLong(i32(what)) : i64(what);
                    }
                    yield a;
                }
                case FLOAT32 -> {
                    need((long) n * 4, what);
                    float[] a = seg.asSlice(pos, (long) n * 4).toArray(FLOAT);
                    pos += (long) n * 4;
                    yield a;
                }
                case FLOAT64 -> {
                    need((long) n * 8, what);
                    double[] a = seg.asSlice(pos, (long) n * 8).toArray(DOUBLE);
                    pos += (long) n * 8;
                    yield a;
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (Boolean) value(key, GgufValueType.BOOL, depth + 1).value();
                    }
                    yield a;
                }
                case STRING -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = string("element " + i + " of " + what);
                    }
                    yield a;
                }
                case ARRAY -> {
                    List<GgufValue> a = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        a.add(array(key, depth + 1));
                    }
                    yield Collections.unmodifiableList(a);
                }
            };
            return new GgufValue(GgufValueType.ARRAY, et, value);
        }
    }
}
