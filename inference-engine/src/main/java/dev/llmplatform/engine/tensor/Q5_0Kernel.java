package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q5_0: F16 scale {@code d}, a little-endian 32-bit {@code qh} whose bit {@code i} is the fifth bit of
 * element {@code i}, then 16 bytes of low nibbles packed as in Q4_0; {@code x = d · (q − 16)}.
 */
final class Q5_0Kernel extends BlockKernel {
    Q5_0Kernel() {
        super(GgmlType.Q5_0);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset);
        int qh = data.get(Layouts.INT, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = Layouts.u8(data, offset + 6 + j);
            int lo = (q & 0xF) | ((qh >>> j) & 1) << 4;
            int hi = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
            out[outOff + j] = d * (lo - 16);
            out[outOff + j + 16] = d * (hi - 16);
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        float max = signedAbsMax(src, srcOff, 32);
        float d = max / -16;
        float id = d != 0 ? 1 / d : 0;
        putF16(dst, d);
        writeFiveBitQuants(src, srcOff, id, 16.5f, 0, dst);
    }

    /** Shared with Q5_1: quantizes {@code (x − min)·id + bias}, writes qh then the nibbles. */
    static void writeFiveBitQuants(float[] src, int srcOff, float id, float bias, float min, ByteBuffer dst) {
        int qh = 0;
        byte[] nibbles = new byte[16];
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) ((src[srcOff + j] - min) * id + bias));
            int hi = Math.min(31, (int) ((src[srcOff + j + 16] - min) * id + bias));
            nibbles[j] = (byte) ((lo & 0xF) | (hi & 0xF) << 4);
            qh |= (lo >>> 4) << j;
            qh |= (hi >>> 4) << (j + 16);
        }
        dst.putInt(qh);
        dst.put(nibbles);
    }
}
