package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.benchmark.BenchmarkModelWriter;
import dev.llmplatform.engine.benchmark.ModelShape;
import dev.llmplatform.engine.tensor.GgmlType;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmp bench} on a tiny random model: the report's shape, not its (machine-dependent) numbers. */
class BenchCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny.gguf");
        new BenchmarkModelWriter(ModelShape.TINY, GgmlType.Q8_0, GgmlType.Q8_0, 3).write(model);
    }

    @Test
    void printsPpAndTgRowsAndAJsonLastLine() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("bench", "--model", model.toString(), "-p", "16", "-n", "4",
                "-r", "2", "--threads", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[0]).contains("model").contains("t/s");
        assertThat(r.out()).contains("pp16 |").contains("tg4 |").contains("llama Q8_0").contains("MiB");
        String last = lines[lines.length - 1];
        Matcher m = Pattern.compile("^\\{\"pp_tok_s\": ([0-9.]+), \"tg_tok_s\": ([0-9.]+), .*\"threads\": 2, .*}$").matcher(last);
        assertThat(m.matches()).as(last).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
        assertThat(Double.parseDouble(m.group(2))).isPositive();
    }

    @Test
    void skippedTestsAreNullInJson() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("bench", "--model", model.toString(), "-p", "0", "-n", "2", "-r", "1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("pp0 |").contains("tg2 |");
        assertThat(r.out().strip()).endsWith("}").contains("\"pp_tok_s\": null");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("bench", "--model", "/no/such.gguf");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("no such file").doesNotContain("Exception");
        LlmpCommandTest.Result r2 = LlmpCommandTest.run("bench", "--model", model.toString(), "-p", "100000");
        assertThat(r2.code()).isNotZero();
        assertThat(r2.err()).contains("context holds");
    }
}
