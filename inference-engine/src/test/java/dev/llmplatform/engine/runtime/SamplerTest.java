package dev.llmplatform.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int DRAWS = 40_000;
    /** ~4.5 standard deviations of a frequency estimated from DRAWS samples (p(1-p) ≤ 1/4). */
    private static final double TOLERANCE = 4.5 * 0.5 / Math.sqrt(DRAWS);

    /** Logits whose softmax is exactly {@code probs}. */
    private static float[] logitsOf(double... probs) {
        float[] l = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            l[i] = (float) Math.log(probs[i]);
        }
        return l;
    }

    private static double[] frequencies(SamplingParams params, float[] logits) {
        Sampler s = new Sampler(params.withSeed(42L), logits.length);
        double[] f = new double[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            f[s.sample(logits, TokenHistory.of(), null)] += 1.0 / DRAWS;
        }
        return f;
    }

    private static SamplingParams plain(float temperature) {
        return SamplingParams.defaults().unfiltered().withTemperature(temperature);
    }

    @Test
    void greedyTakesTheArgmax() {
        Sampler s = new Sampler(SamplingParams.greedy(), 5);
        assertThat(s.sample(new float[] {0.1f, 3f, -2f, 2.9f, 0f}, TokenHistory.of(), null)).isEqualTo(1);
    }

    @Test
    void unfilteredSamplingFollowsTheSoftmax() {
        double[] p = {0.5, 0.25, 0.15, 0.1};
        double[] f = frequencies(plain(1f), logitsOf(p));
        for (int i = 0; i < p.length; i++) {
            assertThat(f[i]).as("token %d", i).isCloseTo(p[i], within(TOLERANCE));
        }
    }

    @Test
    void temperatureSharpensAndFlattens() {
        double[] p = {0.5, 0.25, 0.15, 0.1};
        for (float t : new float[] {0.5f, 2f}) {
            double[] expected = new double[p.length];
            double z = 0;
            for (int i = 0; i < p.length; i++) {
                expected[i] = Math.pow(p[i], 1 / t);
                z += expected[i];
            }
            double[] f = frequencies(plain(t), logitsOf(p));
            for (int i = 0; i < p.length; i++) {
                assertThat(f[i]).as("T=%s token %d", t, i).isCloseTo(expected[i] / z, within(TOLERANCE));
            }
        }
    }

    @Test
    void topPKeepsExactlyTheNucleus() {
        // Cumulative 0.5, 0.75, 0.90, 1.0: the smallest set reaching 0.8 is the first three tokens.
        double[] p = {0.5, 0.25, 0.15, 0.1};
        double[] f = frequencies(plain(1f).withTopP(0.8f), logitsOf(p));
        assertThat(f[3]).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(f[i]).as("token %d", i).isCloseTo(p[i] / 0.9, within(TOLERANCE));
        }
        // Exactly reaching the threshold needs no further token.
        double[] g = frequencies(plain(1f).withTopP(0.5f), logitsOf(p));
        assertThat(g[1] + g[2] + g[3]).isZero();
    }

    @Test
    void topKKeepsTheKMostLikely() {
        double[] p = {0.1, 0.4, 0.05, 0.3, 0.15};
        double[] f = frequencies(plain(1f).withTopK(2), logitsOf(p));
        assertThat(f[0] + f[2] + f[4]).isZero();
        assertThat(f[1]).isCloseTo(0.4 / 0.7, within(TOLERANCE));
        assertThat(f[3]).isCloseTo(0.3 / 0.7, within(TOLERANCE));
    }

    @Test
    void topKOnALargeVocabularyKeepsTheHighestLogits() {
        int vocab = 50_000;
        float[] logits = new float[vocab];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) r.nextGaussian();
        }
        float[] sorted = logits.clone();
        java.util.Arrays.sort(sorted);
        float fifth = sorted[vocab - 5];
        Sampler s = new Sampler(plain(1f).withTopK(5).withSeed(1L), vocab);
        for (int i = 0; i < 2000; i++) {
            assertThat(logits[s.sample(logits, TokenHistory.of(), null)]).isGreaterThanOrEqualTo(fifth);
        }
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        // min-p 0.25 → threshold 0.125: token 3 (0.1) goes, the rest are renormalised.
        double[] p = {0.5, 0.25, 0.15, 0.1};
        double[] f = frequencies(plain(1f).withMinP(0.25f), logitsOf(p));
        assertThat(f[3]).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(f[i]).as("token %d", i).isCloseTo(p[i] / 0.9, within(TOLERANCE));
        }
    }

    @Test
    void theSameSeedReproducesADifferentSeedDiffers() {
        float[] logits = logitsOf(0.2, 0.2, 0.2, 0.2, 0.2);
        int[] a = draws(SamplingParams.defaults().withSeed(123L), logits);
        int[] b = draws(SamplingParams.defaults().withSeed(123L), logits);
        int[] c = draws(SamplingParams.defaults().withSeed(124L), logits);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static int[] draws(SamplingParams params, float[] logits) {
        Sampler s = new Sampler(params, logits.length);
        int[] out = new int[100];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.sample(logits, TokenHistory.of(), null);
        }
        return out;
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        SamplingParams greedy = SamplingParams.greedy();
        float[] logits = {2.0f, 1.9f, -1.0f, -1.05f};
        assertThat(new Sampler(greedy, 4).sample(logits, TokenHistory.of(0), null)).isZero();
        Sampler penalised = new Sampler(greedy.withPenalties(1.1f, 0, 0, 64), 4);
        assertThat(penalised.sample(logits, TokenHistory.of(0), null)).isEqualTo(1);
        // Among the negatives, penalising token 2 (−1.0 → −1.1) makes token 3 (−1.05) the better one.
        float[] negatives = {-1.0f, -1.05f};
        assertThat(new Sampler(greedy.withPenalties(1.1f, 0, 0, 64), 2).sample(negatives, TokenHistory.of(0), null)).isEqualTo(1);
        // Only the last N tokens count.
        assertThat(new Sampler(greedy.withPenalties(1.1f, 0, 0, 1), 4).sample(logits, TokenHistory.of(0, 3), null)).isZero();
    }

    @Test
    void frequencyPenaltyScalesWithCountPresencePenaltyDoesNot() {
        SamplingParams greedy = SamplingParams.greedy();
        float[] logits = {3.0f, 2.0f};
        TokenHistory threeTimes = TokenHistory.of(0, 0, 0);
        // frequency 0.4 × 3 = 1.2 > the gap of 1.0
        assertThat(new Sampler(greedy.withPenalties(1f, 0.4f, 0, 64), 2).sample(logits, threeTimes, null)).isEqualTo(1);
        // presence 0.4 once < the gap
        assertThat(new Sampler(greedy.withPenalties(1f, 0, 0.4f, 64), 2).sample(logits, threeTimes, null)).isZero();
        assertThat(new Sampler(greedy.withPenalties(1f, 0, 1.1f, 64), 2).sample(logits, threeTimes, null)).isEqualTo(1);
    }

    @Test
    void logitBiasShiftsAndBans() {
        float[] logits = {3.0f, 2.0f, 1.0f};
        assertThat(new Sampler(SamplingParams.greedy().withLogitBias(Map.of(2, 2.5f)), 3)
                .sample(logits, TokenHistory.of(), null)).isEqualTo(2);
        double[] f = frequencies(plain(1f).withLogitBias(Map.of(0, Float.NEGATIVE_INFINITY)), logits);
        assertThat(f[0]).isZero();
        assertThat(f[1]).isCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1)), within(TOLERANCE));
    }

    /** Allows {@code allowed} tokens; the end token only once {@code canEnd}. */
    private static final class FixedConstraint implements LogitsConstraint {
        final int[] allowed;
        boolean canEnd;

        FixedConstraint(boolean canEnd, int... allowed) {
            this.canEnd = canEnd;
            this.allowed = allowed;
        }

        @Override
        public void allowedTokens(BitSet set) {
            for (int id : allowed) {
                set.set(id);
            }
        }

        @Override
        public void accept(int tokenId) {
        }

        @Override
        public boolean canEnd() {
            return canEnd;
        }
    }

    @Test
    void constraintMasksEverythingElseAndHoldsBackTheEndUntilItCanEnd() {
        float[] logits = {5f, 4f, 1f, 0.5f};
        int eos = 0;
        // The constraint (wrongly) lists EOS while it cannot end: the sampler still excludes it.
        FixedConstraint c = new FixedConstraint(false, eos, 2, 3);
        Sampler greedy = new Sampler(SamplingParams.greedy(), 4, eos);
        assertThat(greedy.sample(logits, TokenHistory.of(), c)).isEqualTo(2);
        c.canEnd = true;
        assertThat(greedy.sample(logits, TokenHistory.of(), c)).isEqualTo(eos);

        Sampler random = new Sampler(plain(1f).withSeed(5L), 4, eos);
        c.canEnd = false;
        for (int i = 0; i < 2000; i++) {
            assertThat(random.sample(logits, TokenHistory.of(), c)).isIn(2, 3);
        }
        assertThatThrownBy(() -> greedy.sample(logits, TokenHistory.of(), new FixedConstraint(false)))
                .isInstanceOf(IllegalStateException.class);
    }
}
