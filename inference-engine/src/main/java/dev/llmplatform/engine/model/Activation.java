package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.Simd;
import dev.llmplatform.engine.tensor.VectorExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** The non-linearity applied to the gate of a gated feed-forward layer. */
public enum Activation {
    /** x·σ(x), the SwiGLU gate (llama, qwen, phi3). */
    SILU {
        @Override
        public float apply(float x) {
            return (float) (x / (1.0 + Math.exp(-x)));
        }
    },
    /** GELU with the tanh approximation, the GeGLU gate (gemma). */
    GELU_TANH {
        private static final double SQRT_2_OVER_PI = 0.7978845608028654;

        @Override
        public float apply(float x) {
            return (float) (0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
        }
    };

    public abstract float apply(float x);

    private static final VectorSpecies<Float> F = Simd.F;
    private static final float SQRT_2_OVER_PI_F = 0.7978845608028654f;

    /**
     * {@code out[outOff+i] = apply(g[gOff+i])·u[uOff+i]} for i &lt; n: the gated layer's product, on vectors
     * (a scalar {@code Math.exp} per element made this a serial
     * stretch of every prompt: 8192 values per position and layer on the calling thread alone). The
     * exponentials are {@link VectorExp}'s.
     */
    public void applyGated(float[] g, int gOff, float[] u, int uOff, float[] out, int outOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, g, gOff + i);
            FloatVector a = switch (this) {
                case SILU -> x.div(VectorExp.exp(x.neg()).add(1f));
                case GELU_TANH -> {
                    // 0.5·x·(1 + tanh(y)) = x·σ(2y), which needs no tanh and has no cancellation near y = 0.
                    FloatVector inner = x.mul(x).mul(0.044715f).mul(x).add(x).mul(SQRT_2_OVER_PI_F);
                    yield x.div(VectorExp.exp(inner.mul(-2f)).add(1f));
                }
            };
            a.mul(FloatVector.fromArray(F, u, uOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = apply(g[gOff + i]) * u[uOff + i];
        }
    }
}
