package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
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
