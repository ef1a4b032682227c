package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/** BF16: the upper 16 bits of an IEEE float32. */
final class BF16Kernel implements TypeKernel {
    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** Round-to-nearest-even truncation of a float to its upper 16 bits (NaN stays a quiet NaN). */
    static short fromFloat(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    @Override
    public void dequantize(MemorySegment data, long from, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = toFloat(data.getAtIndex(Layouts.SHORT, from + i));
        }
    }

    @Override
    public float dot(MemorySegment data, long from, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += toFloat(data.getAtIndex(Layouts.SHORT, from + i)) * x[xOff + i];
        }
        return sum;
    }
}
