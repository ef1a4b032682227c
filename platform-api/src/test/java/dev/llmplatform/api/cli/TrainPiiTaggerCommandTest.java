package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class TrainPiiTaggerCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsTheSameWeightsForTheSameSeed() throws Exception {
        Path a = dir.resolve("a.bin.gz");
        Path b = dir.resolve("b.bin.gz");
        JsonNode j = GuardrailsCommandsTest.lastLine(LlmpCommandTest.run("train-pii-tagger", "--out", a.toString(),
                "--sentences", "200", "--epochs", "1", "--seed", "5"));
        assertThat(j.get("sentences").asInt()).isEqualTo(200);
        assertThat(j.get("tokens").asInt()).isPositive();
        assertThat(j.get("held_out_token_accuracy").asDouble()).isStrictlyBetween(0.0, 1.0);
        GuardrailsCommandsTest.lastLine(LlmpCommandTest.run("train-pii-tagger", "--out", b.toString(),
                "--sentences", "200", "--epochs", "1", "--seed", "5"));
        assertThat(Files.readAllBytes(a)).isNotEmpty().isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void trainsTheSameContextHeadForTheSameSeed() throws Exception {
        Path a = dir.resolve("a.bin.gz");
        Path b = dir.resolve("b.bin.gz");
        String[] args = {"train-pii-tagger", "--context-head", "--layers", "1", "--sentences", "60", "--epochs", "1", "--seed", "5", "--out"};
        JsonNode j = GuardrailsCommandsTest.lastLine(LlmpCommandTest.run(append(args, a.toString())));
        assertThat(j.get("layers").asInt()).isEqualTo(1);
        assertThat(j.get("tokens").asInt()).isPositive();
        assertThat(j.get("held_out_token_accuracy").asDouble()).isStrictlyBetween(0.0, 1.0);
        GuardrailsCommandsTest.lastLine(LlmpCommandTest.run(append(args, b.toString())));
        assertThat(Files.readAllBytes(a)).isNotEmpty().isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void badContextHeadSettingsAreAOneLineError() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("train-pii-tagger", "--context-head", "--layers", "7", "--out",
                dir.resolve("x.bin.gz").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--layers must be 1..6").doesNotContain("Exception");
    }

    private static String[] append(String[] args, String last) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    @Test
    void badSizesAreAOneLineError() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("train-pii-tagger", "--out", dir.resolve("x.bin.gz").toString(), "--epochs", "0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--sentences and --epochs must be at least 1").doesNotContain("Exception");
    }
}
