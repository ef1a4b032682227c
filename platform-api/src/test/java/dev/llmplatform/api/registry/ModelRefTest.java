package dev.llmplatform.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelRefTest {
    @Test
    void parsesRepoFileAndQuant() {
        assertThat(ModelRef.parse("Qwen/Qwen2.5-0.5B-Instruct-GGUF", null))
                .isEqualTo(new ModelRef("Qwen/Qwen2.5-0.5B-Instruct-GGUF", null, null));
        assertThat(ModelRef.parse("Qwen/Qwen2.5-0.5B-Instruct-GGUF:q4_k_m", null))
                .isEqualTo(new ModelRef("Qwen/Qwen2.5-0.5B-Instruct-GGUF", null, "q4_k_m"));
        assertThat(ModelRef.parse("bartowski/Llama-3.2-1B-Instruct-GGUF:Llama-3.2-1B-Instruct-Q4_K_M.gguf", null).file())
                .isEqualTo("Llama-3.2-1B-Instruct-Q4_K_M.gguf");
        assertThat(ModelRef.parse("a/b:Q8_0", "sub/x.gguf")).isEqualTo(new ModelRef("a/b", "sub/x.gguf", null));
    }

    @Test
    void rejectsWhatIsNotAReference() {
        for (String bad : new String[] {"", "justone", "a/b/c", "../x", "a/..", "a/b:../../x.gguf", "a/b:q4 k", "a/b:/abs.gguf"}) {
            assertThatThrownBy(() -> ModelRef.parse(bad, null)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aQuantMatchesWholeWordsOnly() {
        var files = java.util.List.of("m-Q4_K_M.gguf", "m-Q4_K_S.gguf", "m.Q8_0.gguf", "README.md");
        assertThat(GgufFileChoice.choose("r", files, "q4_k_m")).isEqualTo("m-Q4_K_M.gguf");
        assertThat(GgufFileChoice.choose("r", files, "Q8_0")).isEqualTo("m.Q8_0.gguf");
        assertThatThrownBy(() -> GgufFileChoice.choose("r", files, "Q4_K")).hasMessageContaining("no .gguf file for quantization");
        assertThatThrownBy(() -> GgufFileChoice.choose("r", java.util.List.of("README.md"), null)).hasMessageContaining("no .gguf files");
        assertThat(GgufFileChoice.choose("r", java.util.List.of("only.gguf", "x.txt"), null)).isEqualTo("only.gguf");
    }
}
