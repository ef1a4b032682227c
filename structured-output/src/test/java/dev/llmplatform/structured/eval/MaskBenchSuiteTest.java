package dev.llmplatform.structured.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole MaskBench sample against the GPT-2 and Llama SentencePiece vocabularies. */
class MaskBenchSuiteTest {

    @ParameterizedTest
    @ValueSource(strings = {"ggml-vocab-gpt-2.gguf", "ggml-vocab-llama-spm.gguf"})
    void meetsCoverageAndCorrectnessThresholds(String vocabFile) {
        String only = System.getenv("MASKBENCH_VOCAB");
        org.junit.jupiter.api.Assumptions.assumeTrue(only == null || vocabFile.contains(only));
        Path dir = SharedTestData.require("json-schema/maskbench");
        Tokenizer tok;
        try (GgufFile f = GgufFile.open(SharedTestData.require("tokenizer/" + vocabFile))) {
            tok = Tokenizers.fromGguf(f.metadata());
        }
        MaskBench bench = new MaskBench(tok, System.getenv("MASKBENCH_LENIENT") == null);
        List<Path> files = MaskBench.suiteFiles(dir);
        MaskBench.Summary s = bench.run(files, r -> {
            if (System.getenv("MASKBENCH_VERBOSE") != null) {
                if (!r.compiled()) {
                    System.out.println("NOCOMPILE " + r.file() + ": " + r.error());
                } else if (r.validAccepted() < r.validTotal() || r.invalidRejected() < r.invalidTotal()) {
                    System.out.println("MISS " + r.file() + " valid " + r.validAccepted() + "/" + r.validTotal()
                            + " invalid " + r.invalidRejected() + "/" + r.invalidTotal() + " over=" + r.overConstrained());
                }
            }
        });
        System.out.println(vocabFile + ": " + s.toJson() + " compile_ms_p50=" + s.compileMsP50() + " reordered="
                + s.reordered() + " samples=" + s.maskSamples());
        assertThat(s.compiled()).isGreaterThanOrEqualTo((int) Math.ceil(0.85 * s.schemas()));
        assertThat(s.validAccepted()).isEqualTo(s.validTotal());
        assertThat(s.invalidRejected()).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * s.invalidTotal()));
    }
}
