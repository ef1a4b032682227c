package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ContextualTagHeadTest {
    private static SentenceEmbedder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEmbedder.loadDefault();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void trainingIsDeterministicForASeedAndReadsBackAsWritten() throws IOException {
        ContextualHeadTrainer trainer = new ContextualHeadTrainer(encoder);
        byte[] a = bytes(trainer.train(new ContextualHeadTrainer.Settings(80, 1, 7, 1, 4)).head());
        byte[] b = bytes(trainer.train(new ContextualHeadTrainer.Settings(80, 1, 7, 1, 4)).head());
        byte[] other = bytes(trainer.train(new ContextualHeadTrainer.Settings(80, 1, 8, 1, 4)).head());
        assertThat(a).isEqualTo(b);
        assertThat(other).isNotEqualTo(a);
        assertThat(bytes(ContextualTagHead.read(new ByteArrayInputStream(a)))).isEqualTo(a);
    }

    @Test
    void theShippedHeadFitsTheShippedTaggerAndTheEncoder() {
        ContextualTagHead head = ContextualTagHead.bundled();
        assertThat(head.tags()).containsExactly(PiiTaggerTrainer.tagNames());
        assertThat(head.layers()).isBetween(1, encoder.layers());
        assertThat(head.weight()).isPositive();
        assertThat(head.provenance()).contains("seed 42");
    }

    @Test
    void theShippedHeadReadsPlacesAndPeopleFromContext() {
        ContextualTagHead head = ContextualTagHead.bundled();
        EncoderTokenStates states = new EncoderTokenStates(encoder, head.layers());
        String text = "Yesterday Margaret Olsen flew from Chicago to Denver.";
        List<int[]> tokens = TaggerTokens.of(text);
        float[][] s = states.states(text, tokens);
        double[][] logP = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            logP[i] = head.logProbabilities(s[i]);
        }
        List<String> tags = Arrays.asList(head.tags());
        assertThat(best(logP[1], tags)).isEqualTo("B-PERSON");
        assertThat(best(logP[2], tags)).isEqualTo("I-PERSON");
        assertThat(best(logP[5], tags)).isEqualTo("B-GPE");
        assertThat(best(logP[0], tags)).isEqualTo("O");
        assertThat(best(logP[3], tags)).isEqualTo("O");
    }

    @Test
    void aTextLongerThanTheEncoderReadsGetsAStateForEveryToken() {
        String text = "Anna Berg met Tom Lee in Oslo. ".repeat(60);
        List<int[]> tokens = TaggerTokens.of(text);
        float[][] s = new EncoderTokenStates(encoder, 1).states(text, tokens);
        assertThat(tokens).hasSizeGreaterThan(encoder.maxTokens());
        assertThat(s.length).isEqualTo(tokens.size());
        assertThat(java.util.Arrays.stream(s).filter(java.util.Objects::isNull).count()).isZero();
        assertThat(s[0]).hasSize(encoder.dimension());
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new ContextualHeadTrainer.Settings(0, 1, 1, 3, 4)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new ContextualHeadTrainer.Settings(10, 1, 1, 3, 0)).hasMessageContaining("weight");
        assertThatThrownBy(() -> new ContextualHeadTrainer(encoder).train(new ContextualHeadTrainer.Settings(10, 1, 1, 9, 4)))
                .hasMessageContaining("layers");
    }

    private static String best(double[] logP, List<String> tags) {
        int b = 0;
        for (int t = 1; t < logP.length; t++) {
            b = logP[t] > logP[b] ? t : b;
        }
        return tags.get(b);
    }

    private static byte[] bytes(ContextualTagHead head) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.write(out);
        return out.toByteArray();
    }
}
