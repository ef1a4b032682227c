package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.registry.FakeHub;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code llmp pull}, {@code models} and {@code rm} end to end against a fake hub. */
class RegistryCommandsTest {
    @TempDir
    Path dir;

    FakeHub hub;
    byte[] model;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        model = FakeHub.tinyGguf(dir, "x.gguf", 64 * 100, 5);
        hub.file("acme/Tiny-GGUF", "tiny-Q4_K_M.gguf", model);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void pullListAndRemove() throws Exception {
        Path data = dir.resolve("home");
        var pull = LlmpCommandTest.run("pull", "acme/Tiny-GGUF:Q4_K_M", "--endpoint", hub.endpoint().toString(),
                "--data", data.toString());
        assertThat(pull.code()).as(pull.err()).isZero();
        // Not a terminal: plain progress lines, the last at 100%.
        assertThat(pull.err()).contains("tiny-Q4_K_M.gguf [").contains("100%").doesNotContain("\r");
        String[] lines = pull.out().strip().split("\n");
        JsonNode entry = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(entry.get("name").asString()).isEqualTo("tiny-Q4_K_M");
        assertThat(entry.get("sha256").asString()).isEqualTo(FakeHub.sha256(model));
        assertThat(entry.get("verified").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(data.resolve("models/tiny-Q4_K_M.gguf"))).isEqualTo(model);

        var table = LlmpCommandTest.run("models", "--data", data.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("NAME").contains("tiny-Q4_K_M").contains("llama").contains("Q4_K_M").contains("2048")
                .contains(FakeHub.sha256(model).substring(0, 16));
        var json = LlmpCommandTest.run("models", "--json", "--data", data.toString());
        JsonNode list = new ObjectMapper().readTree(json.out());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("contextLength").asLong()).isEqualTo(2048);
        assertThat(list.get(0).get("source").asString()).isEqualTo("hf://acme/Tiny-GGUF/tiny-Q4_K_M.gguf");

        var rm = LlmpCommandTest.run("rm", "tiny-Q4_K_M", "--data", data.toString());
        assertThat(rm.code()).isZero();
        assertThat(rm.out()).contains("removed tiny-Q4_K_M");
        assertThat(LlmpCommandTest.run("models", "--data", data.toString()).out()).contains("no models in");
        var again = LlmpCommandTest.run("rm", "tiny-Q4_K_M", "--data", data.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("no model 'tiny-Q4_K_M'").doesNotContain("Exception");
    }

    @Test
    void hubErrorsAreOneLine() {
        hub.requiredToken = "t";
        var r = LlmpCommandTest.run("pull", "acme/Tiny-GGUF", "--endpoint", hub.endpoint().toString(), "--data", dir.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).startsWith("llmp: ").contains("HF_TOKEN").doesNotContain("Exception").doesNotContain("\tat ");
        var bad = LlmpCommandTest.run("pull", "not-a-ref", "--data", dir.toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("OWNER/REPO");
    }

    @Test
    void theTerminalBarRedrawsOneLine() {
        var out = new java.io.ByteArrayOutputStream();
        var bar = new ProgressBar(new java.io.PrintStream(out, true), true, java.time.Duration.ZERO);
        bar.onProgress(new dev.llmplatform.api.registry.PullProgress("m.gguf", 512 * 1024, 1024 * 1024, 256 * 1024, 2));
        bar.onProgress(new dev.llmplatform.api.registry.PullProgress("m.gguf", 1024 * 1024, 1024 * 1024, 256 * 1024, 0));
        bar.finish();
        String s = out.toString();
        assertThat(s).startsWith("\rm.gguf [===============>").contains(" 50% 512.00 KiB / 1.00 MiB  256.00 KiB/s  ETA 0:00:02")
                .contains("\rm.gguf [==============================] 100% 1.00 MiB / 1.00 MiB").endsWith("\n");
    }
}
