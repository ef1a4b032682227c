package dev.llmplatform.guardrails.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    @Test
    void learnsALinearBoundaryAndGeneralises() {
        Random r = new Random(7);
        List<float[]> x = new ArrayList<>();
        boolean[] y = new boolean[400];
        for (int i = 0; i < 400; i++) {
            float[] v = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            x.add(v);
            y[i] = 2 * v[0] - v[1] + 0.5 > 0;
        }
        double[] beta = LogisticRegression.fit(x, y, 0.01, 30);
        int correct = 0;
        for (int i = 0; i < 1000; i++) {
            float[] v = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            boolean truth = 2 * v[0] - v[1] + 0.5 > 0;
            correct += (LogisticRegression.probability(beta, v) >= 0.5) == truth ? 1 : 0;
        }
        assertThat(correct).isGreaterThan(970);
        assertThat(Math.abs(beta[2])).isLessThan(Math.abs(beta[0]) / 5); // the irrelevant feature stays small
    }
}
