package dev.llmplatform.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkPromptsTest {
    private static int words(String s) {
        return s.strip().split("\\s+").length;
    }

    @Test
    void promptsDifferFromTheFirstWordsOnAndRepeatForASeed() {
        BenchmarkPrompts prompts = new BenchmarkPrompts(42);
        Set<String> openings = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String p = prompts.prompt(i, 100);
            openings.add(p.substring(0, p.indexOf('.')));
            assertThat(p).isEqualTo(new BenchmarkPrompts(42).prompt(i, 100));
        }
        assertThat(openings).hasSize(50);
        assertThat(prompts.prompt(0, 100)).isNotEqualTo(new BenchmarkPrompts(43).prompt(0, 100));
        // The drawn words differ too, not only the request number.
        assertThat(prompts.prompt(1, 100).substring(12)).isNotEqualTo(prompts.prompt(2, 100).substring(12));
    }

    @Test
    void drawsExactlyTheWordsAskedFor() {
        BenchmarkPrompts prompts = new BenchmarkPrompts(1);
        int overhead = words(prompts.prompt(0, 0));
        assertThat(words(prompts.prompt(0, 1))).isEqualTo(overhead + 1);
        assertThat(words(prompts.prompt(5, 377))).isEqualTo(overhead + 377);
    }

    @Test
    void theEstimateIsThreeQuartersOfAWordPerToken() {
        BenchmarkPrompts.Plan plan = BenchmarkPrompts.estimate(512);
        assertThat(plan.sizing()).isEqualTo(BenchmarkPrompts.Sizing.ESTIMATE);
        int totalWords = plan.words() + words(new BenchmarkPrompts(1).prompt(0, 0));
        assertThat(totalWords).isBetween(382, 386);
        assertThat(BenchmarkPrompts.estimate(1).words()).isEqualTo(1);
    }

    @Test
    void calibrationUsesTheMeasuredOverheadAndRatio() {
        BenchmarkPrompts.Plan plan = BenchmarkPrompts.calibrated(1000, 20, 20 + 520);
        assertThat(plan.tokensPerWord()).isEqualTo(520.0 / BenchmarkPrompts.CALIBRATION_WORDS);
        assertThat(plan.words()).isEqualTo((int) Math.round(980 / 1.3));
        assertThat(plan.sizing()).isEqualTo(BenchmarkPrompts.Sizing.TOKENIZE_ENDPOINT);
    }
}
