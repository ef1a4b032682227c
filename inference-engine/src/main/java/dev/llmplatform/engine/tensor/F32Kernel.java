package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

final class F32Kernel implements TypeKernel {
    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantize(MemorySegment data, long from, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = data.getAtIndex(Layouts.FLOAT, from + i);
        }
    }

    @Override
    public float dot(MemorySegment data, long from, float[] x, int xOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += data.getAtIndex(Layouts.FLOAT, from + i) * x[xOff + i];
        }
        return sum;
    }
}
