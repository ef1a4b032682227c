package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.Simd;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of attention over the cache: q·k dot products and weighted value accumulation, for
 * float rows and for F16 and Q8_0 rows converted in registers. The Vector API (JDK 25) has no
 * half-precision lanes, so F16 is widened with integer lane operations; measured, that fused into the
 * FMA is about twice as fast as {@link Float#float16ToFloat} into a scratch row (see the bench
 * {@code F16RowDecode}).
 */
final class KvMath {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = Simd.L;
    private static final VectorSpecies<Integer> I = Simd.I;
    private static final VectorSpecies<Short> S = Simd.S;
    private static final VectorSpecies<Byte> B = Simd.B;
    private static final boolean Q8_VECTOR = B != null && Q8KvCache.BLOCK % L == 0;

    private KvMath() {
    }

    /** Σ a[aOff+i]·b[bOff+i] for i in [0, n). */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float sum = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(F);
            int bound = F.loopBound(n);
            for (; i < bound; i += L) {
                acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** y[yOff+i] += alpha·x[xOff+i]. */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        if (bound > 0) {
            FloatVector a = FloatVector.broadcast(F, alpha);
            for (; i < bound; i += L) {
                FloatVector.fromArray(F, x, xOff + i).fma(a, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** Σ a[aOff+i]·half(h[hOff+i]) for i in [0, n). */
    static float dotF16(float[] a, int aOff, short[] h, int hOff, int n) {
        int i = 0;
        float sum = 0;
        if (S != null && n >= L) {
            FloatVector acc = FloatVector.zero(F);
            int bound = F.loopBound(n);
            for (; i < bound; i += L) {
                acc = FloatVector.fromArray(F, a, aOff + i).fma(halfToFloat(ShortVector.fromArray(S, h, hOff + i)), acc);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * Float.float16ToFloat(h[hOff + i]);
        }
        return sum;
    }

    /** y[yOff+i] += alpha·half(h[hOff+i]). */
    static void axpyF16(float alpha, short[] h, int hOff, float[] y, int yOff, int n) {
        int i = 0;
        if (S != null) {
            int bound = F.loopBound(n);
            FloatVector a = FloatVector.broadcast(F, alpha);
            for (; i < bound; i += L) {
                halfToFloat(ShortVector.fromArray(S, h, hOff + i)).fma(a, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * Float.float16ToFloat(h[hOff + i]);
        }
    }

    /**
     * IEEE half-precision bits to floats, bit-exact with {@link Float#float16ToFloat}: the exponent is
     * rebiased by multiplying with 2^112 (exact for normals, subnormals and zero); infinities and NaNs
     * get the float's all-ones exponent instead.
     */
    static FloatVector halfToFloat(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector magnitude = bits.and(0x7fff);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7c00);
        return finite.blend(shifted.or(0x7f800000), special).or(sign).reinterpretAsFloats();
    }

    /** Σ a[aOff+i]·q8(i) over a row of n values (blocks of 32) starting at {@code at}. */
    static float dotQ8(float[] a, int aOff, byte[] qs, short[] scales, int at, int n) {
        float sum = 0;
        for (int b = 0; b < n; b += Q8KvCache.BLOCK) {
            float d = Float.float16ToFloat(scales[(at + b) / Q8KvCache.BLOCK]);
            float block;
            if (Q8_VECTOR) {
                FloatVector acc = FloatVector.zero(F);
                for (int i = 0; i < Q8KvCache.BLOCK; i += L) {
                    FloatVector q = (FloatVector) ByteVector.fromArray(B, qs, at + b + i).convertShape(VectorOperators.B2F, F, 0);
                    acc = FloatVector.fromArray(F, a, aOff + b + i).fma(q, acc);
                }
                block = acc.reduceLanes(VectorOperators.ADD);
            } else {
                block = 0;
                for (int i = 0; i < Q8KvCache.BLOCK; i++) {
                    block += a[aOff + b + i] * qs[at + b + i];
                }
            }
            sum += d * block;
        }
        return sum;
    }

    /** y[yOff+i] += alpha·q8(i) over a row of n values (blocks of 32) starting at {@code at}. */
    static void axpyQ8(float alpha, byte[] qs, short[] scales, int at, float[] y, int yOff, int n) {
        for (int b = 0; b < n; b += Q8KvCache.BLOCK) {
            float w = alpha * Float.float16ToFloat(scales[(at + b) / Q8KvCache.BLOCK]);
            if (Q8_VECTOR) {
                FloatVector wv = FloatVector.broadcast(F, w);
                for (int i = 0; i < Q8KvCache.BLOCK; i += L) {
                    FloatVector q = (FloatVector) ByteVector.fromArray(B, qs, at + b + i).convertShape(VectorOperators.B2F, F, 0);
                    q.fma(wv, FloatVector.fromArray(F, y, yOff + b + i)).intoArray(y, yOff + b + i);
                }
            } else {
                for (int i = 0; i < Q8KvCache.BLOCK; i++) {
                    y[yOff + b + i] += w * qs[at + b + i];
                }
            }
        }
    }
}
