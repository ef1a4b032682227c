package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class ChatTemplateCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static Map<String, Object> lastLine(LlmpCommandTest.Result r) {
        String[] lines = r.out().split("\n");
        return JSON.readValue(lines[lines.length - 1], Map.class);
    }

    private Path write(String name, Object json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, JSON.writeValueAsString(json));
        return p;
    }

    @Test
    @SuppressWarnings("unchecked")
    void rendersAReferenceCaseExactly() throws IOException {
        Path templates = SharedTestData.require("chat-templates/renders.json").getParent();
        Map<String, List<Map<String, Object>>> renders = JSON.readValue(
                Files.readString(templates.resolve("renders.json")), Map.class);
        String file = "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja";
        Map<String, Object> c = renders.get(file).stream()
                .filter(x -> "multi-turn".equals(x.get("conversation")) && x.get("tools") != null
                        && Boolean.TRUE.equals(x.get("add_generation_prompt")))
                .findFirst().orElseThrow();
        LlmpCommandTest.Result r = LlmpCommandTest.run("chat-template", "--template", templates.resolve(file).toString(),
                "--messages", write("m.json", c.get("messages")).toString(),
                "--tools", write("t.json", c.get("tools")).toString(), "--add-generation-prompt",
                "--bos-token", (String) c.get("bos_token"), "--eos-token", (String) c.get("eos_token"));
        assertThat(r.code()).isZero();
        assertThat(lastLine(r)).containsExactly(Map.entry("text", c.get("expected")));
    }

    @Test
    void aTemplatesRefusalIsTheErrorLine() throws IOException {
        Path gemma = SharedTestData.require("chat-templates/google-gemma-2-2b-it.jinja");
        Path messages = write("m.json", List.of(Map.of("role", "system", "content", "x"), Map.of("role", "user", "content", "y")));
        LlmpCommandTest.Result r = LlmpCommandTest.run("chat-template", "--template", gemma.toString(),
                "--messages", messages.toString());
        assertThat(r.code()).isNotZero();
        assertThat(lastLine(r)).containsExactly(Map.entry("error", "System role not supported"));
    }

    @Test
    void aModelsOwnTemplateAndTokensAreUsed() throws IOException {
        Path phi3 = SharedTestData.require("models/phi3-Q8_0.gguf");
        Path messages = write("m.json", Map.of("messages", List.of(Map.of("role", "user", "content", "Hi \"there\"\n"))));
        LlmpCommandTest.Result r = LlmpCommandTest.run("chat-template", "--model", phi3.toString(), "--messages", messages.toString());
        assertThat(r.code()).isZero();
        // phi3-Q8_0.gguf's template: {{ bos_token }} then <|user|>\n{content}<|end|>\n<|assistant|>\n per user turn.
        assertThat(lastLine(r)).containsExactly(Map.entry("text", "<s><|user|>\nHi \"there\"\n<|end|>\n<|assistant|>\n"));
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("{\"text\":\"<s><|user|>\\nHi \\\"there\\\"\\n<|end|>\\n<|assistant|>\\n\"}");
    }

    @Test
    void aModelWithoutTemplateGetsTheGuessedFallback() throws IOException {
        Path gemma = SharedTestData.require("models/gemma2-Q8_0.gguf");
        Path messages = write("m.json", List.of(Map.of("role", "user", "content", "Hi")));
        LlmpCommandTest.Result r = LlmpCommandTest.run("chat-template", "--model", gemma.toString(),
                "--messages", messages.toString(), "--add-generation-prompt", "--bos-token", "<bos>");
        assertThat(r.code()).isZero();
        assertThat(lastLine(r)).containsExactly(Map.entry("text", "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"));
    }

    @Test
    void syntaxErrorsAndBadInputAreOneLineErrors() throws IOException {
        Path template = dir.resolve("bad.jinja");
        Files.writeString(template, "{% for m in messages %}\n{{ m.content + }}\n{% endfor %}");
        Path messages = write("m.json", List.of(Map.of("role", "user", "content", "Hi")));
        LlmpCommandTest.Result r = LlmpCommandTest.run("chat-template", "--template", template.toString(), "--messages", messages.toString());
        assertThat(r.code()).isNotZero();
        assertThat((String) lastLine(r).get("error")).endsWith("(line 2, column 16)");

        Path notJson = dir.resolve("x.json");
        Files.writeString(notJson, "[{");
        LlmpCommandTest.Result bad = LlmpCommandTest.run("chat-template", "--builtin", "chatml", "--messages", notJson.toString());
        assertThat(bad.code()).isNotZero();
        assertThat((String) lastLine(bad).get("error")).contains("not valid JSON");

        LlmpCommandTest.Result missing = LlmpCommandTest.run("chat-template", "--builtin", "chatml", "--messages", "/no/such.json");
        assertThat(missing.code()).isNotZero();
        assertThat((String) lastLine(missing).get("error")).contains("no such file");

        LlmpCommandTest.Result both = LlmpCommandTest.run("chat-template", "--builtin", "chatml", "--template", "x.jinja",
                "--messages", messages.toString());
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("mutually exclusive").doesNotContain("Exception");
    }
}
