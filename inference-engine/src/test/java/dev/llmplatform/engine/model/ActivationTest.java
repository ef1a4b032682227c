package dev.llmplatform.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {
    /** The textbook formulas in double precision. */
    private static double reference(Activation a, double x) {
        return switch (a) {
            case SILU -> x / (1 + Math.exp(-x));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        };
    }

    /**
     * The vector gated product agrees with the formula on ordinary values, on both saturated ends (where
     * exp overflows) and on a length that leaves a scalar tail; offsets into shared arrays are honoured.
     */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void gatedProductOnVectorsMatchesTheFormula(Activation activation) {
        int n = 1000 + 13;
        SplittableRandom random = new SplittableRandom(5);
        float[] both = new float[2 * n + 7];
        for (int i = 0; i < both.length; i++) {
            both[i] = (float) (random.nextGaussian() * 4);
        }
        both[3] = -120f; // exp(120) overflows float: the gate must still be ~0, not NaN
        both[4] = 120f;
        both[5] = 0f;
        float[] out = new float[n + 2];
        activation.applyGated(both, 3, both, 3 + n, out, 2, n);
        for (int i = 0; i < n; i++) {
            double expected = reference(activation, both[3 + i]) * both[3 + n + i];
            assertThat((double) out[2 + i]).as("element %d", i)
                    .isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
        }
        assertThat(out[0]).isZero();
        assertThat(out[1]).isZero();
    }
}
