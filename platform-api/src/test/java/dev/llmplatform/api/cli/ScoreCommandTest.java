package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmplatform.engine.testing.MiniJson;
import dev.llmplatform.engine.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScoreCommandTest {

    @Test
    @SuppressWarnings("unchecked")
    void lastLineIsTheTeacherForcedDistributionMatchingLlamaCpp() throws Exception {
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        var ref = (Map<String, Object>) MiniJson.parse(Files.readString(SharedTestData.require("models/llama-spm-Q8_0.ref.json")));
        var firstCase = ((List<Map<String, Object>>) ref.get("cases")).getFirst();
        List<Object> prompt = (List<Object>) firstCase.get("prompt_tokens");
        String ids = prompt.stream().map(o -> String.valueOf(((Number) o).intValue())).collect(Collectors.joining(","));

        LlmpCommandTest.Result r = LlmpCommandTest.run("score", "--model", model.toString(), "--tokens", ids, "--top", "5");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        var json = (Map<String, Object>) MiniJson.parse(lines[lines.length - 1]);
        var positions = (List<Map<String, Object>>) json.get("positions");
        assertThat(positions).hasSize(prompt.size());

        // After the whole prompt: llama.cpp's first generated step.
        var mine = (List<Map<String, Object>>) positions.getLast().get("top");
        var theirs = (List<Map<String, Object>>) ((List<Map<String, Object>>) firstCase.get("generated")).getFirst().get("top");
        assertThat(mine).hasSize(5);
        Map<Integer, Double> refById = theirs.stream().collect(Collectors.toMap(
                e -> ((Number) e.get("id")).intValue(), e -> ((Number) e.get("logprob")).doubleValue()));
        int overlap = 0;
        for (var e : mine) {
            Double refLp = refById.get(((Number) e.get("id")).intValue());
            if (refLp != null) {
                overlap++;
                assertThat(((Number) e.get("logprob")).doubleValue()).isCloseTo(refLp, within(0.3));
            }
        }
        assertThat(overlap).isGreaterThanOrEqualTo(4);
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
