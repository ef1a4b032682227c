package dev.llmplatform.engine.model;

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
}
