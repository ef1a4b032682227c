package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Q8_0: blocks of 32 int8 values {@code qs} after one F16 scale {@code d}: {@code x = d · q}. */
final class Q8_0Kernel extends BlockKernel {
    Q8_0Kernel() {
        super(GgmlType.Q8_0);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset);
        for (int i = 0; i < 32; i++) {
            out[outOff + i] = d * data.get(Layouts.BYTE, offset + 2 + i);
        }
    }

    @Override
    public float dot(MemorySegment data, long from, float[] x, int xOff, int n) {
        float sum = 0;
        long offset = blockOffset(from);
        for (int b = 0; b < n; b += 32, offset += 34) {
            float s = 0;
            for (int i = 0; i < 32; i++) {
                s += data.get(Layouts.BYTE, offset + 2 + i) * x[xOff + b + i];
            }
            sum += Layouts.f16(data, offset) * s;
        }
        return sum;
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        float amax = Math.abs(signedAbsMax(src, srcOff, 32));
        float d = amax / 127;
        float id = d != 0 ? 1 / d : 0;
        putF16(dst, d);
        for (int i = 0; i < 32; i++) {
            dst.put((byte) nearestInt(src[srcOff + i] * id));
        }
    }
}
