package dev.llmplatform.guardrails.injection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InjectionTrainerTest {
    @Test
    void thresholdFlagsAtMostTheTargetShareOfBenignScores() {
        double[] benign = new double[100];
        Arrays.setAll(benign, i -> i / 100.0);
        double t = InjectionTrainer.thresholdFor(benign, 0.02);
        assertThat(Arrays.stream(benign).filter(s -> s >= t).count()).isEqualTo(2);
        double strict = InjectionTrainer.thresholdFor(benign, 0.0);
        assertThat(Arrays.stream(benign).filter(s -> s >= strict).count()).isZero();
        assertThat(strict).isLessThan(1.0);
    }

    @Test
    void foldsAreBalancedAndDeterministic() {
        int[] a = InjectionTrainer.folds(23, 5, 42);
        assertThat(a).isEqualTo(InjectionTrainer.folds(23, 5, 42));
        int[] counts = new int[5];
        for (int f : a) {
            counts[f]++;
        }
        assertThat(counts).containsOnly(4, 5);
        assertThat(InjectionTrainer.folds(23, 5, 43)).isNotEqualTo(a);
    }
}
