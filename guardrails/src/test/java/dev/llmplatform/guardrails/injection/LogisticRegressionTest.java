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
        assertThat(beta[3 + 5]).isZero(); // a bucket never seen keeps weight 0
    }
}
