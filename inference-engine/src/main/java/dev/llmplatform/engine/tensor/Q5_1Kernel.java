package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Q5_1: F16 scale {@code d}, F16 minimum {@code m}, then {@code qh} and nibbles as in Q5_0; {@code x = d · q + m}. */
final class Q5_1Kernel extends BlockKernel {
    Q5_1Kernel() {
        super(GgmlType.Q5_1);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset);
        float m = Layouts.f16(data, offset + 2);
        int qh = data.get(Layouts.INT, offset + 4);
        for (int j = 0; j < 16; j++) {
            int q = Layouts.u8(data, offset + 8 + j);
            int lo = (q & 0xF) | ((qh >>> j) & 1) << 4;
            int hi = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
            out[outOff + j] = d * lo + m;
            out[outOff + j + 16] = d * hi + m;
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < 32; i++) {
            min = Math.min(min, src[srcOff + i]);
            max = Math.max(max, src[srcOff + i]);
        }
        float d = (max - min) / 31;
        float id = d != 0 ? 1 / d : 0;
        putF16(dst, d);
        putF16(dst, min);
        Q5_0Kernel.writeFiveBitQuants(src, srcOff, id, 0.5f, min, dst);
    }
}
