package dev.llmplatform.guardrails.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.guardrails.TextEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InjectionTrainerTest {
    /** Rows whose label only depth 2 of the fake encoder below can see (no lexical features are used). */
    private static final List<LabeledText> ROWS = new ArrayList<>();

    static {
        for (int i = 0; i < 60; i++) {
            ROWS.add(new LabeledText("row " + i, i % 2 == 0));
        }
    }

    /** Depth 2 encodes the label (plus noise); depth 1 is noise alone. */
    private static final TextEmbedder ENCODER = new TextEmbedder() {
        @Override
        public List<float[]> embed(List<String> texts) {
            throw new AssertionError("the trainer must ask for a depth");
        }

        @Override
        public List<float[]> embed(List<String> texts, int layers) {
            return texts.stream().map(t -> {
                int row = Integer.parseInt(t.substring(4));
                Random noise = new Random(row * 31L + layers);
                float signal = layers == 2 ? (row % 2 == 0 ? 1 : -1) : 0;
                return new float[] {signal + 0.3f * (float) noise.nextGaussian(), (float) noise.nextGaussian()};
            }).toList();
        }
    };

    @Test
    void theInnerCrossValidationPicksTheEncoderDepthThatSeparatesTheClasses() {
        InjectionTrainer trainer = new InjectionTrainer(ENCODER, 0, List.of(1, 2));
        InjectionClassifier model = trainer.train(ROWS, List.of(), 7, Map.of());
        assertThat(model.encoderLayers()).isEqualTo(2);
        assertThat(model.provenance()).containsEntry("encoder_layers", 2);
        InjectionTrainer.CrossValidation cv = trainer.crossValidate(ROWS, List.of(), 3, 7);
        assertThat(cv.folds()).allSatisfy(f -> assertThat(f).contains("encoder depth 2"));
        long caught = java.util.stream.IntStream.range(0, ROWS.size()).filter(i -> ROWS.get(i).attack() && cv.flagged(i)).count();
        assertThat(caught).isGreaterThan(25);
        // With only the uninformative depth to choose from, that is what it uses.
        assertThat(new InjectionTrainer(ENCODER, 0, List.of(1)).train(ROWS, List.of(), 7, Map.of()).encoderLayers()).isEqualTo(1);
    }
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
