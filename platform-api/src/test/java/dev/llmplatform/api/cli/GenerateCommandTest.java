package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class GenerateCommandTest {

    @ParameterizedTest(name = "{0} KV cache")
    @ValueSource(strings = {"f16", "q8_0", "f32"})
    void greedyOutputIsLlamaCppsGreedyText(String kvType) throws Exception {
        // gemma2's reference margins are all > 1.4, so free-running greedy decoding cannot flip on a near-tie.
        Path model = SharedTestData.require("models/gemma2-Q8_0.gguf");
        JsonNode first = new ObjectMapper().readTree(SharedTestData.require("models/gemma2-Q8_0.ref.json").toFile())
                .get("cases").get(0);
        int[] ids = new int[8];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = first.get("generated").get(i).get("id").intValue();
        }
        String expected;
        try (GgufFile f = GgufFile.open(model)) {
            // A continuation keeps each piece's leading space (decode() would drop the first one).
            var tokenizer = Tokenizers.fromGguf(f.metadata());
            var bytes = new java.io.ByteArrayOutputStream();
            for (int id : ids) {
                bytes.writeBytes(tokenizer.tokenBytes(id));
            }
            expected = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        LlmpCommandTest.Result r = LlmpCommandTest.run("generate", "--model", model.toString(),
                "--prompt", first.get("prompt").asString(), "-n", "8", "--temp", "0", "--threads", "2", "--kv-type", kvType);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(expected + System.lineSeparator());
        assertThat(r.err()).contains("generated: 8 tokens").contains("tok/s").contains("finish: length");
        if (kvType.equals("f16")) {
            // Warming up at load runs throw-away passes: the request's text must not change.
            LlmpCommandTest.Result warm = LlmpCommandTest.run("generate", "--model", model.toString(), "--warm-up",
                    "--prompt", first.get("prompt").asString(), "-n", "8", "--temp", "0", "--threads", "2");
            assertThat(warm.code()).as(warm.err()).isZero();
            assertThat(warm.out()).isEqualTo(r.out());
            assertThat(warm.err()).contains("(with warm-up)").containsPattern("token 1: [0-9.]+ s, token 16: -");
        }
    }

    @Test
    void aSeedReproducesSampledOutput() {
        Path model = SharedTestData.require("models/qwen2-Q8_0.gguf");
        String[] args = {"generate", "--model", model.toString(), "--prompt", "Once upon a time", "-n", "12",
                "--temp", "1.0", "--seed", "7"};
        LlmpCommandTest.Result a = LlmpCommandTest.run(args);
        LlmpCommandTest.Result b = LlmpCommandTest.run(args);
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isNotBlank().isEqualTo(b.out());
    }

    @Test
    void chatRendersTheUserMessageThroughTheTemplate() throws Exception {
        // phi3's own template: BOS <|user|> \n Hi <|end|> \n <|assistant|> \n, special tokens as single ids.
        Path phi3 = SharedTestData.require("models/phi3-Q8_0.gguf");
        int expected;
        try (GgufFile f = GgufFile.open(phi3)) {
            var tokenizer = Tokenizers.fromGguf(f.metadata());
            expected = 1 + tokenizer.encode("<|user|>\nHi<|end|>\n<|assistant|>\n", true).length;
        }
        LlmpCommandTest.Result r = LlmpCommandTest.run("generate", "--model", phi3.toString(), "--prompt", "Hi",
                "-n", "3", "--temp", "0", "--chat");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("prompt: " + expected + " tokens");

        // A file without a template gets the built-in one llmp info names (mistral's [INST] for llama).
        Path llama = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        LlmpCommandTest.Result fallback = LlmpCommandTest.run("generate", "--model", llama.toString(), "--prompt", "Hi",
                "-n", "2", "--chat");
        assertThat(fallback.code()).as(fallback.err()).isZero();
        assertThat(fallback.err()).containsPattern("prompt: \\d+ tokens");
    }

    @Test
    void badSamplingOptionsAreOneLineErrors() {
        Path model = SharedTestData.require("models/qwen2-Q8_0.gguf");
        LlmpCommandTest.Result r = LlmpCommandTest.run("generate", "--model", model.toString(), "--prompt", "x", "--top-p", "2");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("top_p").doesNotContain("Exception");
    }

    @Test
    void jsonSchemaConstrainsSampledOutput(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = SharedTestData.require("models/qwen2-Q8_0.gguf");
        Path schema = dir.resolve("s.json");
        java.nio.file.Files.writeString(schema, "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"},"
                + "\"n\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":9}},\"required\":[\"ok\",\"n\"],"
                + "\"additionalProperties\":false}");
        LlmpCommandTest.Result r = LlmpCommandTest.run("generate", "--model", model.toString(), "--prompt",
                "Answer in JSON:", "-n", "256", "--temp", "1.0", "--seed", "3", "--json-schema", schema.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String out = r.out().strip();
        // the grammar forces {"ok":true|false,"n":digit} with bounded whitespace, then EOS; 256 tokens suffice
        assertThat(out).matches("(?s)\\{\\s*\"ok\"\\s*:\\s*(true|false)\\s*,\\s*\"n\"\\s*:\\s*[0-9]\\s*}\\s*");
    }

    @Test
    void grammarAndJsonModeAreExclusive(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = SharedTestData.require("models/qwen2-Q8_0.gguf");
        Path g = dir.resolve("g.gbnf");
        java.nio.file.Files.writeString(g, "root ::= \"yes\" | \"no\"");
        LlmpCommandTest.Result both = LlmpCommandTest.run("generate", "--model", model.toString(), "--prompt", "x",
                "--grammar", g.toString(), "--json-mode");
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("only one of");
        LlmpCommandTest.Result r = LlmpCommandTest.run("generate", "--model", model.toString(), "--prompt", "Yes or no?",
                "-n", "8", "--temp", "1.0", "--seed", "5", "--grammar", g.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isIn("yes", "no");
    }

    @Test
    void outputThatMissesTheSchemaIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path model = SharedTestData.require("models/qwen2-Q8_0.gguf");
        Path schema = dir.resolve("s.json");
        java.nio.file.Files.writeString(schema,
                "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\"}},\"required\":[\"s\"]}");
        // three tokens cannot finish the object: the runtime check says so instead of passing it off as valid
        LlmpCommandTest.Result r = LlmpCommandTest.run("generate", "--model", model.toString(), "--prompt",
                "Answer in JSON:", "-n", "3", "--temp", "1.0", "--seed", "3", "--json-schema", schema.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("does not satisfy").contains("stopped at -n");
    }
}
