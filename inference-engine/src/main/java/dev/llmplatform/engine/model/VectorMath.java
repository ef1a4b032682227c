package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** SIMD helpers for the activation-side arithmetic of attention (weights go through WeightMatrix, the cache through KvCache). */
final class VectorMath {
    private static final VectorSpecies<Float> S = Simd.F;

    private VectorMath() {
    }

    /** x[off+i] *= factor. */
    static void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= factor;
        }
    }
}
