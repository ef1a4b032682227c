package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.tensor.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBenchModelCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheRequestedModel() {
        Path file = dir.resolve("m.gguf");
        LlmpCommandTest.Result r = LlmpCommandTest.run("write-bench-model", "--out", file.toString(), "--type", "q8_0", "--shape", "tiny");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote").contains("Q8_0");
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.architecture()).isEqualTo("llama");
            assertThat(g.requireTensor("token_embd.weight").type()).isEqualTo(GgmlType.Q8_0);
            assertThat(g.requireTensor("blk.1.ffn_gate.weight").type()).isEqualTo(GgmlType.Q8_0);
        }
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("write-bench-model", "--out", dir.resolve("x.gguf").toString(), "--type", "Q9_9");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown tensor type 'Q9_9'").doesNotContain("Exception");
        LlmpCommandTest.Result r2 = LlmpCommandTest.run("write-bench-model", "--out", dir.resolve("x.gguf").toString(), "--type", "IQ2_XXS");
        assertThat(r2.code()).isNotZero();
        assertThat(r2.err()).contains("IQ2_XXS").doesNotContain("at dev.");
        LlmpCommandTest.Result r3 = LlmpCommandTest.run("write-bench-model", "--out", "/no/such/dir/x.gguf", "--type", "Q4_0");
        assertThat(r3.code()).isNotZero();
        assertThat(r3.err()).contains("does not exist");
    }
}
