package dev.llmplatform.guardrails.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** Dense features 0..2 (only 0 and 1 matter) and one sparse bucket that marks positives in half the rows. */
    private static FeatureVector sample(Random r, boolean[] truth, int i) {
        float[] v = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
        boolean positive = 2 * v[0] - v[1] + 0.5 > 0;
        truth[i] = positive;
        boolean marked = positive && r.nextBoolean();
        return marked ? new FeatureVector(v, new int[] {3}, new float[] {1f}) : new FeatureVector(v, new int[0], new float[0]);
    }

    @Test
    void learnsDenseAndSparseEvidenceAndGeneralises() {
        Random r = new Random(7);
        List<FeatureVector> x = new ArrayList<>();
        boolean[] y = new boolean[400];
        for (int i = 0; i < 400; i++) {
            x.add(sample(r, y, i));
        }
        double[] beta = LogisticRegression.fit(x, y, 8, 0.01);
        assertThat(beta).hasSize(3 + 8 + 1);
        boolean[] truth = new boolean[1000];
        int correct = 0;
        for (int i = 0; i < 1000; i++) {
            FeatureVector v = sample(r, truth, i);
            correct += (LogisticRegression.probability(beta, v) >= 0.5) == truth[i] ? 1 : 0;
        }
        assertThat(correct).isGreaterThan(950);
        assertThat(Math.abs(beta[2])).isLessThan(Math.abs(beta[0]) / 5); // the irrelevant dense feature stays small
        assertThat(beta[3 + 3]).isPositive(); // the bucket seen only in positives pushes towards positive
        // Buckets never seen move only with the zero-mean projection: all alike, below the informative one.
        assertThat(beta[3 + 5]).isEqualTo(beta[3 + 0]).isEqualTo(beta[3 + 7]).isLessThan(beta[3 + 3]);
    }

    @Test
    void sparseWeightsKeepZeroMeanSoTheNumberOfFeaturesCarriesNoSignal() {
        // Positives touch many buckets, negatives few, and no bucket says more than that: unconstrained, a positive
        // mean sparse weight learns "many features = positive" (long text = attack).
        Random r = new Random(7);
        List<FeatureVector> x = new ArrayList<>();
        boolean[] y = new boolean[200];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2 == 0;
            int n = y[i] ? 40 : 5;
            int[] index = r.ints(0, 64).distinct().limit(n).sorted().toArray();
            float[] value = new float[index.length];
            java.util.Arrays.fill(value, (float) (1 / Math.sqrt(index.length)));
            x.add(new FeatureVector(new float[0], index, value));
        }
        double[] beta = LogisticRegression.fit(x, y, 64, 0.01);
        double mean = java.util.Arrays.stream(beta, 0, 64).average().orElseThrow();
        assertThat(mean).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
        // Without the constraint the same data would be separable by the mean alone; with it, all 64 buckets touched
        // equally give the bias only.
        float[] all = new float[64];
        java.util.Arrays.fill(all, 0.125f);
        double z = new FeatureVector(new float[0], java.util.stream.IntStream.range(0, 64).toArray(), all).dot(beta);
        assertThat(z).isCloseTo(beta[64], org.assertj.core.data.Offset.offset(1e-6));
    }
}
