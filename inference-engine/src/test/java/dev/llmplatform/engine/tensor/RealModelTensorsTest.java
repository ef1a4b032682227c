package dev.llmplatform.engine.tensor;

import org.junit.jupiter.api.AutoClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.testing.SharedTestData;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reference models hold the same random weights at several quantizations, made by llama.cpp's own
 * quantizer. Dequantizing a tensor from each file must give the same matrix within the two files'
 * quantization errors: an independent check of the block layouts against ggml's real output.
 */
class RealModelTensorsTest {
    /** The pool and arena the models under test compute with, closed after each test. */
    @AutoClose
    private final ComputeResources resources = new ComputeResources(2);


    @ParameterizedTest(name = "{1} against {0}")
    @CsvSource({
        "llama-spm-Q8_0.gguf, llama-spm-Q4_0.gguf,   0.13",
        "llama-spm-Q8_0.gguf, llama-spm-Q4_K_M.gguf, 0.13",
        "llama-spm-Q8_0.gguf, llama-spm-Q6_K.gguf,   0.04",
        "gemma2-F16.gguf,     gemma2-Q8_0.gguf,      0.015",
    })
    void sameTensorsAgreeAcrossQuantizations(String referenceFile, String quantizedFile, double maxRelativeRms) {
        Set<GgmlType> seen = EnumSet.noneOf(GgmlType.class);
        int compared = 0;
        try (GgufFile reference = GgufFile.open(SharedTestData.require("models/" + referenceFile));
             GgufFile quantized = GgufFile.open(SharedTestData.require("models/" + quantizedFile))) {
            for (GgufTensor q : quantized.tensors().values()) {
                GgufTensor r = reference.requireTensor(q.name());
                if (q.shape().length > 2) {
                    continue;
                }
                assertThat(q.shape()).isEqualTo(r.shape());
                WeightMatrix wq = q.matrix(resources);
                WeightMatrix wr = r.matrix(resources);
                double err = 0;
                double ref = 0;
                float[] a = new float[wq.cols()];
                float[] b = new float[wr.cols()];
                for (int row = 0; row < wq.rows(); row++) {
                    wq.dequantizeRow(row, a, 0);
                    wr.dequantizeRow(row, b, 0);
                    for (int c = 0; c < a.length; c++) {
                        double d = (double) a[c] - b[c];
                        err += d * d;
                        ref += (double) b[c] * b[c];
                    }
                }
                double relative = Math.sqrt(err / ref);
                assertThat(relative).as("%s (%s vs %s) relative RMS difference", q.name(), q.type(), r.type())
                        .isLessThanOrEqualTo(maxRelativeRms);
                seen.add(q.type());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10);
        assertThat(seen).as("quantized types covered").isNotEmpty();
    }
}
