package dev.llmplatform.engine.benchmark;

import org.junit.jupiter.api.AutoClose;
import dev.llmplatform.engine.tensor.ComputeResources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkModelWriterTest {
    /** The pool and arena the models under test compute with, closed after each test. */
    @AutoClose
    private final ComputeResources resources = new ComputeResources(2);

    @TempDir
    Path dir;

    @Test
    void writesALlamaModelWithTheShapesTypesAndVocabularyAsked() throws Exception {
        ModelShape s = ModelShape.TINY;
        Path file = dir.resolve("tiny.gguf");
        new BenchmarkModelWriter(s, GgmlType.Q4_0, BenchmarkModelWriter.defaultEmbeddingType(GgmlType.Q4_0), 7).write(file);
        try (GgufFile g = GgufFile.open(file)) {
            GgufMetadata m = g.metadata();
            assertThat(g.architecture()).isEqualTo("llama");
            assertThat(m.requireInteger("llama.embedding_length")).isEqualTo(s.dim());
            assertThat(m.requireInteger("llama.block_count")).isEqualTo(s.layers());
            assertThat(m.requireInteger("llama.attention.head_count")).isEqualTo(s.heads());
            assertThat(m.requireInteger("llama.attention.head_count_kv")).isEqualTo(s.kvHeads());
            assertThat(m.requireInteger("llama.feed_forward_length")).isEqualTo(s.ffDim());
            assertThat(m.floatOr("llama.rope.freq_base", 0)).isEqualTo(500000f);
            assertThat(m.floatOr("llama.attention.layer_norm_rms_epsilon", 0)).isEqualTo(1e-5f);
            assertThat(m.requireInteger("general.file_type")).isEqualTo(2);

            String[] tokens = m.strings("tokenizer.ggml.tokens").orElseThrow();
            assertThat(tokens).hasSize(s.vocab()).doesNotHaveDuplicates();
            assertThat(tokens[' ']).isEqualTo("Ġ"); // GPT-2's byte mapping: space is shifted to U+0120
            assertThat(tokens['a']).isEqualTo("a");
            assertThat(m.ints("tokenizer.ggml.token_type").orElseThrow()).hasSize(s.vocab());
            int bos = (int) m.requireInteger("tokenizer.ggml.bos_token_id");
            assertThat(tokens[bos]).isEqualTo("<|begin_of_text|>");
            assertThat(tokens[(int) m.requireInteger("tokenizer.ggml.eos_token_id")]).isEqualTo("<|eot_id|>");
            // Every merge joins two existing tokens into a third.
            java.util.Set<String> vocab = java.util.Set.of(tokens);
            for (String merge : m.strings("tokenizer.ggml.merges").orElseThrow()) {
                String[] parts = merge.split(" ");
                assertThat(vocab).contains(parts[0], parts[1], parts[0] + parts[1]);
            }

            assertThat(g.tensors()).doesNotContainKey("output.weight"); // tied embeddings
            GgufTensor embd = g.requireTensor("token_embd.weight");
            assertThat(embd.type()).isEqualTo(GgmlType.Q6_K);
            assertThat(embd.shape()).containsExactly(s.dim(), s.vocab());
            assertThat(g.requireTensor("blk.1.attn_k.weight").shape()).containsExactly(s.dim(), s.kvDim());
            assertThat(g.requireTensor("blk.1.ffn_down.weight").shape()).containsExactly(s.ffDim(), s.dim());
            assertThat(g.requireTensor("blk.0.ffn_up.weight").type()).isEqualTo(GgmlType.Q4_0);
            assertThat(g.tensors()).hasSize(2 + 9 * s.layers());

            // The weights are uniform in ±0.05: mean ≈ 0, RMS ≈ 0.05/√3.
            WeightMatrix up = g.requireTensor("blk.0.ffn_up.weight").matrix(resources);
            float[] row = new float[up.cols()];
            double sum = 0;
            double squares = 0;
            for (int r = 0; r < up.rows(); r++) {
                up.dequantizeRow(r, row, 0);
                for (float v : row) {
                    assertThat(Math.abs(v)).isLessThanOrEqualTo(0.0501f);
                    sum += v;
                    squares += v * v;
                }
            }
            long n = (long) up.rows() * up.cols();
            assertThat(sum / n).isCloseTo(0, org.assertj.core.data.Offset.offset(0.002));
            assertThat(Math.sqrt(squares / n)).isCloseTo(0.05 / Math.sqrt(3), org.assertj.core.data.Offset.offset(0.002));
        }
    }

    @Test
    void llama32ShapeMatchesThePublishedModel() {
        ModelShape s = ModelShape.byName("llama-3.2-1b");
        assertThat(s.headDim()).isEqualTo(64);
        assertThat(s.kvDim()).isEqualTo(512);
        // 1.24 B parameters with the tied embedding counted once (Meta's model card: 1.23 B).
        assertThat(s.parameters()).isBetween(1_230_000_000L, 1_240_000_000L);
    }
}
