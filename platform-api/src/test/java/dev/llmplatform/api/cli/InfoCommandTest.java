package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.tensor.GgmlType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsShapeAndMemoryMath() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        // 3 layers, 4 KV heads of dim 16 (K and V): 3·4·32 elements per token.
        new GgufWriter()
                .put("general.architecture", "llama")
                .putUint32("llama.block_count", 3)
                .putUint32("llama.embedding_length", 128)
                .putUint32("llama.attention.head_count", 8)
                .putUint32("llama.attention.head_count_kv", 4)
                .putUint32("llama.context_length", 1000)
                .put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", new String[] {"a", "b"})
                .addF32("token_embd.weight", new long[] {128, 2}, new float[256])
                .addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {128, 4}, GgufWriter.TensorData.of(new byte[4 * 4 * 34]))
                .write(model);
        var r = LlmpCommandTest.run("info", "--model", model.toString(), "--ctx", "100");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("architecture  llama")
                .contains("parameters    768 ")
                .contains("layers        3, embedding 128, heads 8, KV heads 4, head dim 16/16")
                .contains("Q8_0")
                .contains("chat template none in the file; built-in '")
                // 3 layers × 4 heads × (16+16) × 2 bytes = 768 B per token; × 100 tokens
                .contains("768 B per token")
                .contains("75.00 KiB")
                .doesNotContain("would refuse");
        // Head dim 16: a Q8_0 cache cannot be built, and info says so next to the estimate.
        assertThat(LlmpCommandTest.run("info", "--model", model.toString(), "--kv-type", "q8_0").out())
                .contains("multiples of 32: this model would refuse it");
    }

    @Test
    void q8KvCacheHalvesTheCache() throws Exception {
        Path model = dir.resolve("kv.gguf");
        new GgufWriter()
                .put("general.architecture", "llama")
                .putUint32("llama.block_count", 1)
                .putUint32("llama.embedding_length", 64)
                .putUint32("llama.attention.head_count", 1)
                .addF32("w", new long[] {1}, new float[1])
                .write(model);
        assertThat(LlmpCommandTest.run("info", "--model", model.toString(), "--ctx", "10").out()).contains("256 B per token");
        assertThat(LlmpCommandTest.run("info", "--model", model.toString(), "--ctx", "10", "--kv-type", "q8_0").out())
                .contains("136 B per token");
    }

    @Test
    void notAGgufFileIsAClearError() throws Exception {
        Path junk = java.nio.file.Files.writeString(dir.resolve("junk.gguf"), "hello world, not a model");
        var r = LlmpCommandTest.run("info", "--model", junk.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("not a GGUF file").doesNotContain("Exception");
    }
}
