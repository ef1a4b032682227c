package dev.llmplatform.api.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.api.config.PlatformProperties;
import dev.llmplatform.api.config.PlatformProperties.ModelEntry;
import dev.llmplatform.engine.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManagerTest {
    @TempDir
    Path dir;

    private static PlatformProperties.Serving serving(long kvBudgetMib) {
        return new PlatformProperties.Serving(512, 1, 2, "f16", kvBudgetMib, Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofSeconds(1), false);
    }

    @Test
    void aFileThatCannotLoadIsNamedWithTheReason() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.gguf"), "not a gguf file");
        EmbeddingService embeddings = new EmbeddingService();
        assertThatThrownBy(() -> new ModelManager(new PlatformProperties(List.of(new ModelEntry("chat", broken, null, null, null, null)),
                serving(0)), embeddings))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("'chat'").hasMessageContaining(broken.toString());
        assertThatThrownBy(() -> new ModelManager(new PlatformProperties(
                List.of(new ModelEntry("gone", dir.resolve("missing.gguf"), null, null, null, null)), serving(0)), embeddings))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> new ModelManager(new PlatformProperties(
                List.of(new ModelEntry("kv", broken, null, null, null, "f8")), serving(0)), embeddings))
                .isInstanceOf(ModelLoadException.class);
    }

    @Test
    void theKvBudgetIsCheckedWithTheNumbers() {
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        EmbeddingService embeddings = new EmbeddingService();
        // 1 KiB of F16 KV per position (2 layers x K and V x 4 heads x 32 dims): 8 x 512 positions are 4 MiB
        assertThatThrownBy(() -> new ModelManager(new PlatformProperties(
                List.of(new ModelEntry("m", model, 512, 1, 8, null)), serving(1)), embeddings))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("kv-budget-mib=1").hasMessageContaining("8 x 512");
        ModelManager ok = new ModelManager(new PlatformProperties(List.of(new ModelEntry("m", model, 512, 1, 2, null)), serving(64)),
                embeddings);
        try {
            assertThat(ok.get("m").pool().capacity()).isEqualTo(2);
            assertThat(ok.get("m").contextLength()).isEqualTo(512);
        } finally {
            ok.destroy();
        }
    }
}
