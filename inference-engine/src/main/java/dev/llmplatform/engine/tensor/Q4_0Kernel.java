package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q4_0: an F16 scale {@code d} then 16 bytes of 4-bit quants: byte {@code j}'s low nibble is element
 * {@code j}, its high nibble element {@code j+16}; {@code x = d · (q − 8)}.
 */
final class Q4_0Kernel extends BlockKernel {
    Q4_0Kernel() {
        super(GgmlType.Q4_0);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset);
        for (int j = 0; j < 16; j++) {
            int q = Layouts.u8(data, offset + 2 + j);
            out[outOff + j] = d * ((q & 0xF) - 8);
            out[outOff + j + 16] = d * ((q >>> 4) - 8);
        }
    }

    @Override
    public float dot(MemorySegment data, long from, float[] x, int xOff, int n) {
        float sum = 0;
        long offset = blockOffset(from);
        for (int b = 0; b < n; b += 32, offset += 18) {
            float s = 0;
            int xi = xOff + b;
            for (int j = 0; j < 16; j++) {
                int q = Layouts.u8(data, offset + 2 + j);
                s += ((q & 0xF) - 8) * x[xi + j] + ((q >>> 4) - 8) * x[xi + j + 16];
            }
            sum += Layouts.f16(data, offset) * s;
        }
        return sum;
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        // The signed extreme maps to −8 exactly, so the full range [−8, 7] is used on its side.
        float max = signedAbsMax(src, srcOff, 32);
        float d = max / -8;
        float id = d != 0 ? 1 / d : 0;
        putF16(dst, d);
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (src[srcOff + j] * id + 8.5f));
            int hi = Math.min(15, (int) (src[srcOff + j + 16] * id + 8.5f));
            dst.put((byte) (lo | hi << 4));
        }
    }
}
