package dev.llmplatform.engine.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD dot product and multiply-add over float rows, the inner loops of attention over the cache. */
final class KvMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private KvMath() {
    }

    /** Σ a[aOff+i]·b[bOff+i] for i in [0, n). */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float sum = 0;
        if (n >= S.length()) {
            FloatVector acc = FloatVector.zero(S);
            int bound = S.loopBound(n);
            for (; i < bound; i += S.length()) {
                acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
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
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector a = FloatVector.broadcast(S, alpha);
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, xOff + i).fma(a, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
