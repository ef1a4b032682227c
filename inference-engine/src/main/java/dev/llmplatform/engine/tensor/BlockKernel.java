package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Base of the kernels of block-quantized types: a type knows how to decode one block into floats and how
 * to encode floats into one block (round-to-nearest, for tests and written benchmark models); the
 * row-level operations are built on those.
 *
 * <p>{@link #dot} here decodes each block into a per-thread scratch array: simple and allocation-free.
 * The types that matter for speed override it with fused (and, in {@link WeightMatrix}, SIMD) code.
 */
abstract class BlockKernel implements TypeKernel {
    private final GgmlType type;
    protected final int blockSize;
    protected final int blockBytes;
    private final ThreadLocal<float[]> scratch;

    BlockKernel(GgmlType type) {
        this.type = type;
        this.blockSize = type.blockSize();
        this.blockBytes = type.typeSize();
        this.scratch = ThreadLocal.withInitial(() -> new float[blockSize]);
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    /** Decodes the block starting at byte {@code offset} into {@code out[outOff .. outOff+blockSize)}. */
    abstract void decodeBlock(MemorySegment data, long offset, float[] out, int outOff);

    /**
     * Encodes {@code src[srcOff .. srcOff+blockSize)} as one block, written at {@code dst}'s position
     * (which advances by the block's size). {@code dst} must be little-endian.
     */
    abstract void encodeBlock(float[] src, int srcOff, ByteBuffer dst);

    final long blockOffset(long element) {
        return element / blockSize * blockBytes;
    }

    @Override
    public void dequantize(MemorySegment data, long from, float[] out, int outOff, int n) {
        long offset = blockOffset(from);
        for (int i = 0; i < n; i += blockSize, offset += blockBytes) {
            decodeBlock(data, offset, out, outOff + i);
        }
    }

    @Override
    public float dot(MemorySegment data, long from, float[] x, int xOff, int n) {
        float[] block = scratch.get();
        long offset = blockOffset(from);
        float sum = 0;
        for (int i = 0; i < n; i += blockSize, offset += blockBytes) {
            decodeBlock(data, offset, block, 0);
            float s = 0;
            for (int j = 0; j < blockSize; j++) {
                s += block[j] * x[xOff + i + j];
            }
            sum += s;
        }
        return sum;
    }

    // Helpers shared by the encoders.

    static int nearestInt(float v) {
        return Math.round(v);
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static void putF16(ByteBuffer dst, float v) {
        dst.putShort(Float.floatToFloat16(v));
    }

    /** The value with the largest magnitude in {@code x[off .. off+n)}, sign kept. */
    static float signedAbsMax(float[] x, int off, int n) {
        float max = 0;
        float amax = 0;
        for (int i = 0; i < n; i++) {
            float a = Math.abs(x[off + i]);
            if (a > amax) {
                amax = a;
                max = x[off + i];
            }
        }
        return max;
    }
}
