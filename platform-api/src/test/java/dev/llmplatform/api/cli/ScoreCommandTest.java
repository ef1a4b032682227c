package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmplatform.engine.testing.SharedTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} KV cache")
    @ValueSource(strings = {"f16", "q8_0", "f32"})
    void lastLineIsTheTeacherForcedDistributionMatchingLlamaCpp(String kvType) throws Exception {
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        JsonNode firstCase = JSON.readTree(SharedTestData.require("models/llama-spm-Q8_0.ref.json").toFile()).get("cases").get(0);
        List<String> prompt = new ArrayList<>();
        firstCase.get("prompt_tokens").forEach(id -> prompt.add(String.valueOf(id.intValue())));

        LlmpCommandTest.Result r = LlmpCommandTest.run("score", "--model", model.toString(), "--tokens",
                String.join(",", prompt), "--top", "5", "--kv-type", kvType);
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        JsonNode positions = JSON.readTree(lines[lines.length - 1]).get("positions");
        assertThat(positions.size()).isEqualTo(prompt.size());

        // After the whole prompt: llama.cpp's first generated step.
        JsonNode mine = positions.get(positions.size() - 1).get("top");
        JsonNode theirs = firstCase.get("generated").get(0).get("top");
        assertThat(mine.size()).isEqualTo(5);
        Map<Integer, Double> refById = new HashMap<>();
        theirs.forEach(e -> refById.put(e.get("id").intValue(), e.get("logprob").doubleValue()));
        int overlap = 0;
        for (JsonNode e : mine) {
            Double refLp = refById.get(e.get("id").intValue());
            if (refLp != null) {
                overlap++;
                assertThat(e.get("logprob").doubleValue()).isCloseTo(refLp, within(0.3));
            }
        }
        assertThat(overlap).isGreaterThanOrEqualTo(4);
    }

    @Test
    void anUnknownKvTypeIsAClearError() {
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        LlmpCommandTest.Result r = LlmpCommandTest.run("score", "--model", model.toString(), "--tokens", "1", "--kv-type", "q4_0");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--kv-type").contains("f16, q8_0 or f32").doesNotContain("Exception");
    }

    @Test
    void badTokenIdsAreAClearError() {
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        LlmpCommandTest.Result r = LlmpCommandTest.run("score", "--model", model.toString(), "--tokens", "1,999999");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("999999").contains("outside the vocabulary").doesNotContain("Exception");
        LlmpCommandTest.Result r2 = LlmpCommandTest.run("score", "--model", "/no/such.gguf", "--tokens", "1");
        assertThat(r2.code()).isNotZero();
        assertThat(r2.err()).contains("no such file");
    }
}
