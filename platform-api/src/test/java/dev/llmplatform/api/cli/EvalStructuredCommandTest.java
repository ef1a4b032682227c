package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalStructuredCommandTest {

    @Test
    void reportsTotalsAsJsonOnTheLastLine(@TempDir Path dir) throws IOException {
        Path vocab = SharedTestData.require("tokenizer/ggml-vocab-gpt-2.gguf");
        // a hand-written case: one schema, one valid and one invalid instance
        Files.writeString(dir.resolve("mine.json"), """
                {"description":"t","meta":{},"schema":{"type":"object","properties":{"n":{"type":"integer","maximum":9}},
                 "required":["n"],"additionalProperties":false},
                 "tests":[{"description":"ok","data":{"n":7},"valid":true},
                          {"description":"too big","data":{"n":12},"valid":false}]}
                """);
        LlmpCommandTest.Result r = LlmpCommandTest.run("eval-structured", "--suite", dir.toString(), "--vocab",
                vocab.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last).startsWith("{\"schemas\":1,\"compiled\":1,\"valid_accepted\":1,\"valid_total\":1,"
                + "\"invalid_rejected\":1,\"invalid_total\":1,\"mask_us_p50\":").contains("\"mask_us_p99\":")
                .contains("\"mask_cpu_us_p99\":").contains("\"compile_ms_p50\":").contains("\"compile_ms_p99\":");
        assertThat(r.out()).contains("schemas compiled:");
    }

    @Test
    void traceSlowPrintsTheCausesAndTheShareOfSlowCalls(@TempDir Path dir) throws IOException {
        Path vocab = SharedTestData.require("tokenizer/ggml-vocab-gpt-2.gguf");
        Files.writeString(dir.resolve("mine.json"), """
                {"description":"t","meta":{},"schema":{"type":"object","properties":{"s":{"type":"string"}}},
                 "tests":[{"description":"ok","data":{"s":"abc"},"valid":true}]}
                """);
        LlmpCommandTest.Result r = LlmpCommandTest.run("eval-structured", "--suite", dir.toString(), "--vocab",
                vocab.toString(), "--json", "--trace-slow");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("mask calls over 50 us:").contains("slow mask calls by cause (strictly compiled schemas): {");
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1]).contains("\"mask_share_over_50us\":");
    }

    @Test
    void missingSuiteIsAOneLineError() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("eval-structured", "--suite", "/no/such/dir", "--vocab", "/x.gguf");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--suite").contains("no such directory").doesNotContain("Exception");
    }
}
