package dev.llmplatform.engine.encoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise exp for the encoder's GELU and softmax. The Vector API's own {@code EXP} operator is
 * only fast where the JDK has a vector math library for it; this one is plain arithmetic everywhere:
 * {@code exp(x) = 2^k · p(r)} with {@code k = round(x / ln 2)}, {@code |r| ≤ ln2/2} and Cephes' degree-7
 * polynomial for {@code p} (about 1 ulp). Callers inline it into their loops (keep it small: a vector
 * passed to a method that is not inlined is boxed).
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding and subtracting it rounds a float to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float MIN_ARG = -87.33f;
    private static final float MAX_ARG = 88.37f;

    private VectorMath() {
    }

    static FloatVector exp(FloatVector x) {
        VectorSpecies<Float> s = x.species();
        FloatVector v = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector k = v.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(s, -LN2_HI), v);
        r = k.fma(FloatVector.broadcast(s, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(s, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(s, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(s, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(s, 5.0000001201e-1f));
        p = p.fma(r.mul(r), r.add(1f));
        IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }
}
