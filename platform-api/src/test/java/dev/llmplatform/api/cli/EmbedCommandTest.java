package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class EmbedCommandTest {

    @Test
    void printsOneNormalisedVectorPerTextAsTheLastLine() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("embed", "--model", "default",
                "--text", "The cat sits on the mat.", "--text", "A feline rests on a rug.", "--text", "Quarterly tax filing deadlines");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.size()).isEqualTo(3);
        float[][] v = new float[3][];
        for (int i = 0; i < 3; i++) {
            assertThat(json.get(i).size()).isEqualTo(384);
            v[i] = new float[384];
            double norm = 0;
            for (int d = 0; d < 384; d++) {
                v[i][d] = json.get(i).get(d).floatValue();
                norm += v[i][d] * v[i][d];
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
        // The vectors are the library's, in order, and carry meaning: paraphrases are closer than unrelated text.
        List<float[]> expected;
        try (SentenceEmbedder embedder = SentenceEmbedder.loadDefault()) {
            expected = embedder.embed(
                    List.of("The cat sits on the mat.", "A feline rests on a rug.", "Quarterly tax filing deadlines"));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(v[i]).containsExactly(expected.get(i));
        }
        assertThat(dot(v[0], v[1])).isGreaterThan(dot(v[0], v[2]) + 0.2);
    }

    @Test
    void missingModelFileIsAClearError() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("embed", "--model", "/no/such/model.gguf", "--text", "x");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("no such file").doesNotContain("Exception");
    }

    @Test
    void textIsRequired() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("embed");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--text");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
