package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.I;
import static dev.llmplatform.engine.tensor.Simd.L;
import static dev.llmplatform.engine.tensor.Simd.LE;
import static dev.llmplatform.engine.tensor.Simd.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * F16 rows with the Vector API. F16 → F32 by moving bits: the 15 magnitude bits shifted into place and
 * multiplied by 2^112 rebias the exponent (and turn F16 subnormals into the right normal floats); the sign
 * goes back on top. Infinities and NaNs are not weights and are not preserved. Lengths that are not a
 * multiple of L finish with scalar code.
 */
final class F16SimdKernel implements RowKernel {
    private static final TypeKernel SCALAR = new F16Kernel();
    private static final float REBIAS = 0x1p112f;

    @Override
    public float dot(MemorySegment w, long from, float[] x, int xOff, int cols) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int vectorCols = cols - cols % (2 * L);
        int i = 0;
        for (; i < vectorCols; i += 2 * L) {
            long e = from + i;
            FloatVector w0 = ((FloatVector) ((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                    .and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS))
                    .reinterpretAsInts().or(((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                            .and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            e += L;
            FloatVector w1 = ((FloatVector) ((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                    .and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS))
                    .reinterpretAsInts().or(((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                            .and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            acc0 = w0.fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = w1.fma(FloatVector.fromArray(F, x, xOff + i + L), acc1);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        return i < cols ? sum + SCALAR.dot(w, from + i, x, xOff + i, cols - i) : sum;
    }

    @Override
    public void dot4(MemorySegment w, long from, float[] x, int xOff, int xStride, int cols,
                     float[] out, int outOff, int outStride) {
        // Two accumulators per input (eight chains): an FMA's latency is four times its issue interval,
        // so four chains would leave the FMA units half idle.
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        FloatVector acc4 = FloatVector.zero(F);
        FloatVector acc5 = FloatVector.zero(F);
        FloatVector acc6 = FloatVector.zero(F);
        FloatVector acc7 = FloatVector.zero(F);
        int x1 = xOff + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int vectorCols = cols - cols % (2 * L);
        int i = 0;
        for (; i < vectorCols; i += 2 * L) {
            long e = from + i;
            FloatVector wa = ((FloatVector) ((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                    .and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS))
                    .reinterpretAsInts().or(((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                            .and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            e += L;
            FloatVector wb = ((FloatVector) ((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                    .and(0x7FFF).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(REBIAS))
                    .reinterpretAsInts().or(((IntVector) ShortVector.fromMemorySegment(S, w, e * 2, LE).castShape(I, 0))
                            .and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            acc0 = wa.fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            acc1 = wa.fma(FloatVector.fromArray(F, x, x1 + i), acc1);
            acc2 = wa.fma(FloatVector.fromArray(F, x, x2 + i), acc2);
            acc3 = wa.fma(FloatVector.fromArray(F, x, x3 + i), acc3);
            acc4 = wb.fma(FloatVector.fromArray(F, x, xOff + i + L), acc4);
            acc5 = wb.fma(FloatVector.fromArray(F, x, x1 + i + L), acc5);
            acc6 = wb.fma(FloatVector.fromArray(F, x, x2 + i + L), acc6);
            acc7 = wb.fma(FloatVector.fromArray(F, x, x3 + i + L), acc7);
        }
        out[outOff] = acc0.add(acc4).reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, xOff);
        out[outOff + outStride] = acc1.add(acc5).reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, x1);
        out[outOff + 2 * outStride] = acc2.add(acc6).reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, x2);
        out[outOff + 3 * outStride] = acc3.add(acc7).reduceLanes(VectorOperators.ADD) + tail(w, from, i, cols, x, x3);
    }

    private static float tail(MemorySegment w, long from, int i, int cols, float[] x, int xOff) {
        return i < cols ? SCALAR.dot(w, from + i, x, xOff + i, cols - i) : 0;
    }
}
