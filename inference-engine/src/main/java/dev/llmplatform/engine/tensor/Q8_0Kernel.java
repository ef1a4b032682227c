package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/** Q8_0: blocks of 32 int8 values with one F16 scale: {@code x = d · q}. */
final class Q8_0Kernel implements TypeKernel {
    private static final int BLOCK = 32;
    private static final int BYTES = 34;

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantize(MemorySegment data, long from, float[] out, int outOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long base = (from / BLOCK + b) * BYTES;
            float d = Float.float16ToFloat(data.get(Layouts.SHORT, base));
            for (int i = 0; i < BLOCK; i++) {
                out[outOff + b * BLOCK + i] = d * data.get(Layouts.BYTE, base + 2 + i);
            }
        }
    }

    @Override
    public float dot(MemorySegment data, long from, float[] x, int xOff, int n) {
        float sum = 0;
        for (int b = 0; b < n / BLOCK; b++) {
            long base = (from / BLOCK + b) * BYTES;
            float d = Float.float16ToFloat(data.get(Layouts.SHORT, base));
            float s = 0;
            int xi = xOff + b * BLOCK;
            for (int i = 0; i < BLOCK; i++) {
                s += data.get(Layouts.BYTE, base + 2 + i) * x[xi + i];
            }
            sum += d * s;
        }
        return sum;
    }
}
