package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.L;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A quantized matrix copied, once, into a layout where one SIMD lane is one row. Rows are taken
 * {@link #G} at a time (G = the float lanes: 16 with AVX-512, 8 with AVX2); within each block of
 * columns, a group's values for one column sit next to each other. A column of a group then decodes
 * with one vector load and meets its input as one broadcast: no per-row horizontal sums, no per-block
 * scalar scale conversions, and far fewer instructions per weight than walking rows one by one — which
 * is what kept Q4_0 and Q6_K decoding below memory speed (llama.cpp repacks Q4_0 for the same reason).
 *
 * <p>The copy holds the file's values exactly. Scales are widened from F16 to F32 (converting G of them
 * by bit-moving in the float kernels cost a tenth of decode time; as floats they are one load), which
 * adds 2 bytes per block and row: +6% memory for Q8_0, +6% for Q4_K (whose packed scales and mins are
 * also unpacked); Q6_K's values are widened too, 1.31× (see {@link InterleavedQ6K}). Q4_0 keeps the
 * file's F16 scales and size: its integer decode streams from DRAM, where the 11% more bytes cost more
 * than the widening (see {@link InterleavedQ4_0}). Results
 * differ from the row kernels only in summation order, except where a kernel says otherwise
 * ({@link InterleavedQ4_0}'s, {@link InterleavedQ4K}'s and {@link InterleavedQ6K}'s decode, over 8-bit-quantized inputs). Rows past the last whole group stay with the row kernel on the
 * mapped file; so does {@link WeightMatrix#dequantizeRow} (embedding lookups).
 *
 * <p>Subclasses own one GGML type each: its packed layout ({@link #pack}) and kernels over a range of
 * groups: one input at a time (decode), and four or eight at a time (prompt processing, batches).
 */
abstract sealed class InterleavedMatrix permits InterleavedQ8_0, InterleavedQ4_0, InterleavedQ4K, InterleavedQ6K {
    /** Rows per group in most layouts: one per float lane. */
    static final int G = Simd.L;

    /**
     * {@code -Dllmp.integerPrompts=true} runs prompt processing (eight inputs at a time) in 16-bit
     * integers over 8-bit-quantized inputs where a type has such a kernel (Q4_0). Off by default: on
     * the machines measured it was no faster than the float kernels (see docs/benchmarks.md), and it
     * adds the inputs' quantization error.
     */
    static final boolean INTEGER_PROMPTS = Boolean.getBoolean("llmp.integerPrompts");

    /** Rows per group: G, or a multiple of it for a kernel that works on wider integer lanes. */
    final int groupRows;
    final int groups;
    final int cols;
    /** Columns per block of the type: the unit of {@link #dequantize}. */
    final int blockCols;
    final int blocks;
    /** Bytes of one group's block: {@link #groupRows} rows × one block of columns. */
    final long groupBlockBytes;
    final MemorySegment packed;
    /** The owning model's pool, which packing runs on. */
    private final Parallel parallel;

    InterleavedMatrix(int rows, int cols, int blockCols, int blockBytes, ComputeResources resources) {
        this(rows, cols, blockCols, blockBytes, G, resources);
    }

    InterleavedMatrix(int rows, int cols, int blockCols, int blockBytes, int groupRows, ComputeResources resources) {
        this.groupRows = groupRows;
        this.groups = rows / groupRows;
        this.cols = cols;
        this.blockCols = blockCols;
        this.blocks = cols / blockCols;
        this.groupBlockBytes = (long) groupRows * blockBytes;
        this.parallel = resources.parallel();
        // The model's arena, not an automatic one: unloading the model frees the copy at once.
        this.packed = groups == 0 ? MemorySegment.NULL : resources.allocate(groupBlockBytes * blocks * groups, 64);
    }

    /**
     * The interleaved copy of {@code data} ({@code rows × cols} of {@code type}, rows contiguous), or
     * null where there is none: a type without an interleaved kernel, fewer rows than a group. The copy
     * lives in {@code resources}' arena and is packed on its pool. Callers
     * first check {@link RowKernels#simd()}: this class's constants need the Vector API to load.
     */
    static InterleavedMatrix of(GgmlType type, MemorySegment data, int rows, int cols, ComputeResources resources) {
        InterleavedMatrix m = switch (type) {
            case Q8_0 -> new InterleavedQ8_0(rows, cols, resources);
            case Q4_0 -> new InterleavedQ4_0(rows, cols, resources);
            case Q4_K -> new InterleavedQ4K(rows, cols, resources);
            case Q6_K -> new InterleavedQ6K(rows, cols, resources);
            default -> null;
        };
        if (m != null && m.groups == 0) {
            return null;
        }
        if (m != null) {
            m.packFrom(data, type.byteSize(cols));
        }
        return m;
    }

    /**
     * Bytes the interleaved copy of {@code fileBytes} of {@code type} takes (whole groups assumed), or
     * {@code fileBytes} for a type that is not interleaved.
     */
    static long residentBytes(GgmlType type, long fileBytes) {
        return switch (type) {
            case Q8_0 -> fileBytes / InterleavedQ8_0.FILE_BYTES * InterleavedQ8_0.BYTES;
            case Q4_0 -> fileBytes / InterleavedQ4_0.FILE_BYTES * InterleavedQ4_0.BYTES;
            case Q4_K -> fileBytes / InterleavedQ4K.FILE_BYTES * InterleavedQ4K.BYTES;
            case Q6_K -> fileBytes / InterleavedQ6K.FILE_BYTES * InterleavedQ6K.BYTES;
            default -> fileBytes;
        };
    }

    /** Rows covered: whole groups. */
    final int rows() {
        return groups * groupRows;
    }

    /** Bytes of one group: all its blocks. */
    final long groupBytes() {
        return groupBlockBytes * blocks;
    }

    /** Byte offset of group {@code g}'s block {@code b} in {@link #packed}. */
    final long offset(int g, int b) {
        return ((long) g * blocks + b) * groupBlockBytes;
    }

    /**
     * The class of the native segments the copies live in (what an arena allocates; {@code NULL} is one).
     * Not taken from a throw-away allocation: a confined arena's segment, allocated and freed here, made
     * the JDK's session checks bimorphic for every kernel and Q4_0 decode ~20 % slower (docs/benchmarks.md).
     */
    private static final Class<?> NATIVE_SEGMENT = MemorySegment.NULL.getClass();

    /**
     * {@link #packed}, with its exact class proven to C2: a decode kernel reads the copy through
     * {@code ByteVector/FloatVector.fromMemorySegment}, whose checks and calls inside the JDK C2 otherwise
     * binds by those methods' type profiles — shared by every caller in the process. A prompt that reads
     * another kind of segment (the mapped file) through them leaves the profiles polymorphic; the kernels
     * compiled after it then repeat the segment's class, bounds and liveness checks on every load in their
     * inner loops and are not unrolled (Q4_K's integer decode: 2.4× slower; docs/benchmarks.md). The
     * comparison with a constant class lets C2 type the returned segment exactly, whatever the profiles.
     * The throw sits in a method of its own so that this one stays under C2's 35-byte limit for inlining
     * at call sites it deems cold: a kernel calls it once per call, and a compile that left it out (5 of 20
     * logged Q6_K processes) decoded slower (docs/benchmarks.md).
     */
    final MemorySegment weights() {
        MemorySegment w = packed;
        if (w.getClass() != NATIVE_SEGMENT) {
            throw notNative(w);
        }
        return w;
    }

    private static IllegalStateException notNative(MemorySegment w) {
        return new IllegalStateException("interleaved copy not in an arena's native segment: " + w.getClass());
    }

    /** The G F32 scales at {@code off} (converted from the file's F16 when packing). */
    static FloatVector scales(MemorySegment m, long off) {
        return FloatVector.fromMemorySegment(F, m, off, LE);
    }

    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Σx over each run of {@code width} inputs of {@code x[xOff .. xOff + cols)}, in a per-thread array
     * reused across calls: the kernels of offset types ({@code d·(q − 8)}, {@code d·q − m}) take the
     * offset out of their inner loop as {@code offset · Σx} per block.
     */
    final float[] sums(float[] x, int xOff, int width) {
        int n = cols / width;
        float[] sums = SUMS.get();
        if (sums.length < n) {
            sums = new float[n];
            SUMS.set(sums);
        }
        for (int j = 0; j < n; j++) {
            int from = xOff + j * width;
            FloatVector s = FloatVector.fromArray(F, x, from);
            for (int i = L; i < width; i += L) {
                s = s.add(FloatVector.fromArray(F, x, from + i));
            }
            sums[j] = s.reduceLanes(VectorOperators.ADD);
        }
        return sums;
    }

    /**
     * Fills {@link #packed} from the file layout, a group at a time through heap buffers (bulk copies in
     * and out, the shuffling on plain arrays: several times faster than byte-wise access to mapped
     * memory), then releases the mapped pages it read: the process keeps one copy of the weights, not two.
     */
    private void packFrom(MemorySegment data, long rowBytes) {
        int srcBytes = Math.toIntExact(groupRows * rowBytes);
        int dstBytes = Math.toIntExact(groupBytes());
        parallel.forRange(groups, parallel.quarterGrain(groups), (g0, g1) -> {
            byte[] src = PACK_BUFFERS.get().src(srcBytes);
            byte[] dst = PACK_BUFFERS.get().dst(dstBytes);
            for (int g = g0; g < g1; g++) {
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, g * groupRows * rowBytes, src, 0, srcBytes);
                pack(src, dst);
                MemorySegment.copy(dst, 0, packed, ValueLayout.JAVA_BYTE, offset(g, 0), dstBytes);
            }
        });
        if (data.isMapped()) {
            // Pages come back on demand if the file layout is read again (embedding lookups).
            data.unload();
        }
    }

    /**
     * Per-thread staging buffers for packing, kept between matrices, so that packing a model allocates
     * almost nothing.
     */
    private static final class PackBuffers {
        private byte[] src = new byte[0];
        private byte[] dst = new byte[0];

        byte[] src(int n) {
            if (src.length < n) {
                src = new byte[n];
            }
            return src;
        }

        byte[] dst(int n) {
            if (dst.length < n) {
                dst = new byte[n];
            }
            return dst;
        }
    }

    private static final ThreadLocal<PackBuffers> PACK_BUFFERS = ThreadLocal.withInitial(PackBuffers::new);

    /**
     * Lays out one group: {@code src} holds its rows in the file layout (row i's block b at
     * {@code (i·blocks + b)·fileBlockBytes}), {@code dst} receives the group's blocks (block b at
     * {@code b·groupBlockBytes}).
     */
    abstract void pack(byte[] src, byte[] dst);

    /**
     * Group {@code g}'s block {@code b} as floats, column by column: the value of the group's row i at
     * the block's column j goes to {@code dst[dstOff + j·dstStride + i]}. {@link PanelGemm} packs panels
     * of rows this way for prompt processing.
     */
    abstract void dequantize(int g, int b, float[] dst, int dstOff, int dstStride);

    /**
     * Rows that {@link #dequantize(int, int, int, float[], int, int)} covers per call: a whole group unless a
     * layout's groups are wider than {@link PanelGemm}'s panels (16 rows with 256-bit vectors) and it can
     * dequantize a slice of one.
     */
    int dequantizeRows() {
        return groupRows;
    }

    /** Rows [h, h + {@link #dequantizeRows()}) of group {@code g}'s block {@code b}, as {@link #dequantize}. */
    void dequantize(int g, int h, int b, float[] dst, int dstOff, int dstStride) {
        dequantize(g, b, dst, dstOff, dstStride);
    }

    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** The F16 value at {@code src[i..i+2)}, little-endian, as a float. */
    static float f16(byte[] src, int i) {
        return Float.float16ToFloat((short) ((src[i] & 0xFF) | src[i + 1] << 8));
    }

    static void putFloat(byte[] dst, int i, float value) {
        FLOAT_LE.set(dst, i, value);
    }

    /**
     * {@code out[outOff + g·R + i] = row(g·R + i) · x[xOff ..]} for groups [g0, g1), R = {@link #groupRows}.
     */
    abstract void multiply(float[] x, int xOff, float[] out, int outOff, int g0, int g1);

    /**
     * Four inputs at once, {@code x[xOff + t·cols ..]} for t in 0..3, into
     * {@code out[outOff + t·outStride + g·R + i]}: each group's weights are decoded once for all four.
     */
    abstract void multiply4(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1);

    /** Eight inputs at once, as {@link #multiply4}; by default, two passes of four. */
    void multiply8(float[] x, int xOff, float[] out, int outOff, int outStride, int g0, int g1) {
        multiply4(x, xOff, out, outOff, outStride, g0, g1);
        multiply4(x, xOff + 4 * cols, out, outOff + 4 * outStride, outStride, g0, g1);
    }
}
