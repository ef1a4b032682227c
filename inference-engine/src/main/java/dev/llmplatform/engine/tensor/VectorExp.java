package dev.llmplatform.engine.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise exp (and tanh from it) for the engine's softmaxes and activations: the encoder's GELU and
 * attention, the decoder's attention and gated feed-forward. The Vector API's own {@code EXP}/{@code TANH}
 * operators are only fast where the JDK has a vector math library for them, and their Java fallback (which
 * runs before C2 compiles a loop) need not round as the library does; this one is plain arithmetic
 * everywhere, the same in every tier:
 * {@code exp(x) = 2^k · p(r)} with {@code k = round(x / ln 2)}, {@code |r| ≤ ln2/2} and Cephes' degree-7
 * polynomial for {@code p} (about 1 ulp). Callers inline it into their loops (keep it small: a vector
 * passed to a method that is not inlined is boxed).
 */
public final class VectorExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding and subtracting it rounds a float to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float MIN_ARG = -87.33f;
    private static final float MAX_ARG = 88.37f;

    private VectorExp() {
    }

    /** The bits of {@link #ROUND}: {@code bits(ROUND + n) − ROUND_BITS = n} for integers |n| < 2^22. */
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Integer> I = Simd.I;

    /**
     * e^x per lane (arguments clamped to [−87.33, 88.37]), for vectors of the engine's species {@link Simd#F}.
     *
     * <p>The exponent {@code k} is read from the bits of {@code x/ln2 + ROUND} rather than converted from float
     * (which gives the same integer), and every species is the constant {@link Simd#F} or {@link Simd#I}: C2
     * intrinsifies a conversion only where it can fold its target species, and {@code convert(F2I)} with the
     * species derived from the argument was left as a library call in the encoder's attention softmax at 512
     * bits, depending on compile order (5–6× slower softmax: docs/benchmarks.md, "Long-text embeddings").
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector rounded = v.mul(LOG2E).add(ROUND);
        FloatVector k = rounded.sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), v);
        r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        p = p.fma(r.mul(r), r.add(1f));
        IntVector bits = ((IntVector) rounded.reinterpretShape(I, 0)).add(127 - ROUND_BITS).lanewise(VectorOperators.LSHL, 23);
        return p.mul((FloatVector) bits.reinterpretShape(F, 0));
    }

    /**
     * tanh per lane, as {@code sign(x)·(1 − 2/(e^{2|x|} + 1))}: saturates to ±1 without overflow; the absolute
     * error stays within a few float ulps of 1 (relative error grows only for |x| far below 1).
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.abs().mul(2f));
        FloatVector magnitude = FloatVector.broadcast(F, -2f).div(e.add(1f)).add(1f);
        return magnitude.blend(magnitude.neg(), x.lt(0f));
    }
}
