package dev.llmplatform.engine.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes floats as the bytes of a {@link GgmlType}, in ggml's layout. Quantized types use plain
 * round-to-nearest against per-block scales (llama.cpp's reference quantizers for the legacy types; a
 * simpler range-based choice of scales for K-quants). Used by tests and by the benchmark-model writer.
 */
public final class Quantizer {
    private Quantizer() {
    }

    /** {@code values} encoded as {@code type}; the length must be a whole number of blocks. */
    public static byte[] quantize(GgmlType type, float[] values) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(type.byteSize(values.length))).order(ByteOrder.LITTLE_ENDIAN);
        quantize(type, values, 0, values.length, out);
        return out.array();
    }

    /**
     * Encodes {@code values[off .. off+n)} at {@code dst}'s position, which advances by
     * {@code type.byteSize(n)}.
     *
     * @throws UnsupportedOperationException naming the type if it cannot be encoded
     */
    public static void quantize(GgmlType type, float[] values, int off, int n, ByteBuffer dst) {
        type.byteSize(n); // validates whole blocks
        ByteBuffer le = dst.order() == ByteOrder.LITTLE_ENDIAN ? dst : dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    le.putFloat(values[off + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    le.putShort(Float.floatToFloat16(values[off + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    le.putShort(BF16Kernel.fromFloat(values[off + i]));
                }
            }
            default -> {
                if (!(Kernels.forType(type) instanceof BlockKernel codec)) {
                    throw new UnsupportedOperationException("tensor type " + type + " cannot be quantized");
                }
                for (int i = 0; i < n; i += type.blockSize()) {
                    codec.encodeBlock(values, off + i, le);
                }
            }
        }
        if (le != dst) {
            dst.position(le.position());
        }
    }
}
