package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q4_1: F16 scale {@code d}, F16 minimum {@code m}, then 16 bytes of 4-bit quants packed as in Q4_0
 * (low nibbles elements 0..15, high nibbles 16..31); {@code x = d · q + m}.
 */
final class Q4_1Kernel extends BlockKernel {
    Q4_1Kernel() {
        super(GgmlType.Q4_1);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset);
        float m = Layouts.f16(data, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = Layouts.u8(data, offset + 4 + j);
            out[outOff + j] = d * (q & 0xF) + m;
            out[outOff + j + 16] = d * (q >>> 4) + m;
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
        float d = (max - min) / 15;
        float id = d != 0 ? 1 / d : 0;
        putF16(dst, d);
        putF16(dst, min);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) ((src[srcOff + j] - min) * id + 0.5f));
            int hi = Math.min(15, (int) ((src[srcOff + j + 16] - min) * id + 0.5f));
            dst.put((byte) (lo | hi << 4));
        }
    }
}
