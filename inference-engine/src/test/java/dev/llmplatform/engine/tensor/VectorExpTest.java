package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    /**
     * exp within a few ulps of Math.exp from the lower to the upper clamp, whole-number arguments included (where
     * the exponent read from the rounding constant's bits must be exact), and clamped outside: 0-ish below, finite
     * above, never NaN.
     */
    @Test
    void expMatchesTheLibraryAcrossItsRangeAndClamps() {
        int lanes = Simd.L;
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        for (double start = -87; start < 88; start += 0.013 * lanes) {
            for (int i = 0; i < lanes; i++) {
                x[i] = (float) Math.min(88, start + 0.013 * i);
            }
            if (start < 80) {
                x[0] = (float) Math.rint(start);
            }
            VectorExp.exp(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                double expected = Math.exp(x[i]);
                assertThat((double) y[i]).as("exp(%s)", x[i]).isCloseTo(expected, within(4.0 * Math.ulp((float) expected)));
            }
        }
        x[0] = -1000f;
        x[1 % lanes] = 1000f;
        VectorExp.exp(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
        assertThat(y[0]).isLessThan(1e-37f).isNotNegative();
        assertThat(y[1 % lanes]).isGreaterThan(1e38f).isFinite();
    }

    /** tanh agrees with Math.tanh across its range, saturates to ±1 without NaN, and is odd. */
    @Test
    void tanhMatchesTheLibraryAndSaturates() {
        int lanes = Simd.L;
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        for (double start = -100; start < 100; start += 0.37 * lanes) {
            for (int i = 0; i < lanes; i++) {
                x[i] = (float) (start + 0.37 * i);
            }
            VectorExp.tanh(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                assertThat((double) y[i]).as("tanh(%s)", x[i]).isCloseTo(Math.tanh(x[i]), within(3e-7));
            }
        }
        x[0] = 1e-4f;
        x[1 % lanes] = -1e-4f;
        VectorExp.tanh(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
        assertThat(y[0]).isCloseTo(1e-4f, within(1e-7f));
        assertThat(y[1 % lanes]).isEqualTo(-y[0]);
    }
}
