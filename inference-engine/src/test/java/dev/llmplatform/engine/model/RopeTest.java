package dev.llmplatform.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RopeTest {
    private static final int DIM = 16;

    private static float[] rotated(Rope rope, float[] x, int pos) {
        float[] cos = new float[DIM / 2];
        float[] sin = new float[DIM / 2];
        float[] y = x.clone();
        rope.angles(pos, cos, sin);
        rope.rotate(y, 0, 1, DIM, cos, sin);
        return y;
    }

    private static float[] angles(Rope rope, int pos) {
        float[] cos = new float[DIM / 2];
        float[] sin = new float[DIM / 2];
        rope.angles(pos, cos, sin);
        float[] a = new float[DIM / 2];
        for (int j = 0; j < a.length; j++) {
            a[j] = (float) Math.atan2(sin[j], cos[j]);
        }
        return a;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static float[] ramp(float start) {
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            x[i] = start + 0.37f * i - 0.05f * i * i;
        }
        return x;
    }

    @Test
    void scoresDependOnlyOnRelativePosition() {
        for (Rope.Pairing pairing : Rope.Pairing.values()) {
            Rope rope = new Rope(pairing, DIM, 10000, RopeScaling.NONE, null);
            float[] q = ramp(0.3f);
            float[] k = ramp(-1.1f);
            float a = dot(rotated(rope, q, 7), rotated(rope, k, 3));
            float b = dot(rotated(rope, q, 107), rotated(rope, k, 103));
            assertThat(b).as(pairing.name()).isCloseTo(a, within(1e-3f));
            assertThat(rotated(rope, q, 0)).as("position 0 is the identity").containsExactly(q);
        }
    }

    @Test
    void adjacentPairingRotatesNeighboursNeoxRotatesHalves() {
        float[] e0 = new float[DIM];
        e0[0] = 1;
        float[] adjacent = rotated(new Rope(Rope.Pairing.ADJACENT, DIM, 10000, RopeScaling.NONE, null), e0, 1);
        float[] neox = rotated(new Rope(Rope.Pairing.NEOX, DIM, 10000, RopeScaling.NONE, null), e0, 1);
        // Pair 0 has frequency 1: angle 1 radian at position 1.
        assertThat(adjacent[0]).isCloseTo((float) Math.cos(1), within(1e-6f));
        assertThat(adjacent[1]).isCloseTo((float) Math.sin(1), within(1e-6f));
        assertThat(adjacent[DIM / 2]).isZero();
        assertThat(neox[0]).isCloseTo((float) Math.cos(1), within(1e-6f));
        assertThat(neox[DIM / 2]).isCloseTo((float) Math.sin(1), within(1e-6f));
        assertThat(neox[1]).isZero();
    }

    @Test
    void linearScalingStretchesPositions() {
        Rope plain = new Rope(Rope.Pairing.NEOX, DIM, 10000, RopeScaling.NONE, null);
        Rope linear = new Rope(Rope.Pairing.NEOX, DIM, 10000,
                new RopeScaling(RopeScaling.Type.LINEAR, 4f, 0, 1f, 1f, 4f), null);
        assertThat(angles(linear, 12)).containsExactly(angles(plain, 3), within(1e-5f));
    }

    @Test
    void ropeFreqsDivideTheFrequencies() {
        float[] factors = new float[DIM / 2];
        java.util.Arrays.fill(factors, 1f);
        factors[DIM / 2 - 1] = 8f;
        Rope plain = new Rope(Rope.Pairing.ADJACENT, DIM, 500000, RopeScaling.NONE, null);
        Rope scaled = new Rope(Rope.Pairing.ADJACENT, DIM, 500000, RopeScaling.NONE, factors);
        float[] a = angles(plain, 40);
        float[] b = angles(scaled, 40);
        assertThat(b[0]).isEqualTo(a[0]);
        assertThat(b[DIM / 2 - 1]).isCloseTo(a[DIM / 2 - 1] / 8, within(1e-6f));
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesAndDividesLowOnes() {
        // Original context 64 with low/high factors 1/4: wavelengths under 16 stay, over 64 are divided by 8.
        RopeScaling llama3 = new RopeScaling(RopeScaling.Type.LLAMA3, 8f, 64, 1f, 1f, 4f);
        Rope plain = new Rope(Rope.Pairing.ADJACENT, DIM, 10000, RopeScaling.NONE, null);
        Rope scaled = new Rope(Rope.Pairing.ADJACENT, DIM, 10000, llama3, null);
        float[] a = angles(plain, 1);
        float[] b = angles(scaled, 1);
        assertThat(b[0]).isCloseTo(a[0], within(1e-6f)); // wavelength 2π
        assertThat(b[DIM / 2 - 1]).isCloseTo(a[DIM / 2 - 1] / 8, within(1e-7f)); // wavelength ≈ 2π·3000
    }

    @Test
    void yarnExtrapolatesHighFrequenciesAndInterpolatesLowOnes() {
        RopeScaling yarn = new RopeScaling(RopeScaling.Type.YARN, 4f, 256, 1f, 1f, 4f);
        Rope plain = new Rope(Rope.Pairing.NEOX, DIM, 10000, RopeScaling.NONE, null);
        Rope scaled = new Rope(Rope.Pairing.NEOX, DIM, 10000, yarn, null);
        float[] a = angles(plain, 3);
        float[] b = angles(scaled, 3);
        assertThat(b[0]).isCloseTo(a[0], within(1e-5f));
        assertThat(b[DIM / 2 - 1]).isCloseTo(a[DIM / 2 - 1] / 4, within(1e-6f));
        // cos² + sin² carries YaRN's magnitude 1 + 0.1·ln 4.
        float[] cos = new float[DIM / 2];
        float[] sin = new float[DIM / 2];
        scaled.angles(3, cos, sin);
        assertThat(Math.hypot(cos[2], sin[2])).isCloseTo(1 + 0.1 * Math.log(4), within(1e-5));
    }

    @Test
    void longRopeUsesTheLongFactorsOnlyBeyondTheOriginalContext() {
        float[] shortFactors = new float[DIM / 2];
        float[] longFactors = new float[DIM / 2];
        java.util.Arrays.fill(shortFactors, 1f);
        java.util.Arrays.fill(longFactors, 1f);
        shortFactors[DIM / 2 - 1] = 2f;
        longFactors[DIM / 2 - 1] = 16f;
        Rope rope = Rope.longRope(Rope.Pairing.NEOX, DIM, 10000, RopeScaling.NONE, shortFactors, longFactors, 4096);
        Rope plain = new Rope(Rope.Pairing.NEOX, DIM, 10000, RopeScaling.NONE, null);
        float last = angles(plain, 100)[DIM / 2 - 1];
        assertThat(rope.forContext(4096)).isSameAs(rope);
        assertThat(angles(rope.forContext(4096), 100)[DIM / 2 - 1]).isCloseTo(last / 2, within(1e-7f));
        assertThat(angles(rope.forContext(4097), 100)[DIM / 2 - 1]).isCloseTo(last / 16, within(1e-7f));
        assertThat(plain.forContext(1 << 20)).isSameAs(plain);
        assertThatThrownBy(() -> Rope.longRope(Rope.Pairing.NEOX, DIM, 10000, RopeScaling.NONE, shortFactors, longFactors, 0))
                .hasMessageContaining("original context");
    }
}
