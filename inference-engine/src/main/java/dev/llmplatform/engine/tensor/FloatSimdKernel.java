package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.L;
import static dev.llmplatform.engine.tensor.Simd.LE;
import static dev.llmplatform.engine.tensor.Simd.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * F32, F16 and BF16 rows with the Vector API: each loads L elements and widens them to L floats; row
 * lengths that are not a multiple of L finish with scalar code.
 */
abstract sealed class FloatSimdKernel implements RowKernel {
    private final TypeKernel scalar;

    FloatSimdKernel(TypeKernel scalar) {
        this.scalar = scalar;
    }

    /** L elements starting at element {@code index}, as floats. */
    abstract FloatVector load(MemorySegment w, long index);

    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int vectorCols = cols - cols % (2 * L);
        int i = 0;
        for (; i < vectorCols; i += 2 * L) {
            acc0 = load(w, from + i).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = load(w, from + i + L).fma(FloatVector.fromArray(F, x, xOff + i + L), acc1);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        if (i < cols) {
            sum += scalar.dot(w, from + i, x, xOff + i, cols - i);
        }
        return sum;
    }

    @Override
    public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                     float[] out, int outOff, int outStride) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int x1 = xOff + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int vectorCols = cols - cols % L;
        int i = 0;
        for (; i < vectorCols; i += L) {
            FloatVector wv = load(w, from + i);
            acc0 = wv.fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = wv.fma(FloatVector.fromArray(F, x, x1 + i), acc1);
            acc2 = wv.fma(FloatVector.fromArray(F, x, x2 + i), acc2);
            acc3 = wv.fma(FloatVector.fromArray(F, x, x3 + i), acc3);
        }
        out[outOff] = acc0.reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, xOff);
        out[outOff + outStride] = acc1.reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, x1);
        out[outOff + 2 * outStride] = acc2.reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, x2);
        out[outOff + 3 * outStride] = acc3.reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, x3);
    }

    private float tail(MemorySegment w, long from, int i, int cols, float[] x, int xOff) {
        return i < cols ? scalar.dot(w, from + i, x, xOff + i, cols - i) : 0;
    }

    static final class F32 extends FloatSimdKernel {
        F32() {
            super(new F32Kernel());
        }

        @Override
        FloatVector load(MemorySegment w, long index) {
            return FloatVector.fromMemorySegment(F, w, index * 4, LE);
        }
    }

    /**
     * F16 → F32 by moving bits: the 15 magnitude bits shifted into place and multiplied by 2^112 rebias
     * the exponent (and turn F16 subnormals into the right normal floats); the sign is put back on top.
     * Infinities and NaNs are not weights and are not preserved.
     */
    static final class F16 extends FloatSimdKernel {
        private static final float REBIAS = 0x1p112f;

        F16() {
            super(new F16Kernel());
        }

        @Override
        FloatVector load(MemorySegment w, long index) {
            IntVector h = Simd.shortsToInts(ShortVector.fromMemorySegment(S, w, index * 2, LE));
            FloatVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS);
            IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
            return magnitude.reinterpretAsInts().or(sign).reinterpretAsFloats();
        }
    }

    /** BF16 → F32: the 16 bits are the top half of the float. */
    static final class BF16 extends FloatSimdKernel {
        BF16() {
            super(new BF16Kernel());
        }

        @Override
        FloatVector load(MemorySegment w, long index) {
            IntVector h = Simd.shortsToInts(ShortVector.fromMemorySegment(S, w, index * 2, LE));
            return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        }
    }
}
