package dev.llmplatform.engine.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A BERT GGUF written from the imported MiniLM weights loads through the same encoder. */
class BertGgufRoundTripTest {

    @Test
    void miniLmWrittenAsGgufEmbedsIdentically(@TempDir Path dir) throws Exception {
        try (SentenceEmbedder onnx = SentenceEmbedder.loadDefault()) {
            roundTrip(onnx, dir);
        }
    }

    private static void roundTrip(SentenceEmbedder onnx, Path dir) throws Exception {
        Path file = dir.resolve("minilm.gguf");
        BertGguf.write(onnx.encoder().weights(), onnx.tokenizer(), onnx.pooling(), "all-MiniLM-L6-v2", file);

        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.architecture()).isEqualTo("bert");
            assertThat(gguf.metadata().requireString("tokenizer.ggml.model")).isEqualTo("bert");
            assertThat(gguf.metadata().requireInteger("bert.block_count")).isEqualTo(6);
            assertThat(gguf.requireTensor("blk.5.ffn_down.weight").shape()).containsExactly(1536, 384);
            assertThat(gguf.requireTensor("token_embd.weight").shape()).containsExactly(384, 30522);
            assertThat(gguf.metadata().strings("tokenizer.ggml.tokens").orElseThrow()[7592]).isEqualTo("\u2581hello");
        }
        try (SentenceEmbedder loaded = SentenceEmbedder.load(file, 2)) {
            compare(onnx, loaded.withMaxTokens(onnx.maxTokens()));
        }
    }

    private static void compare(SentenceEmbedder onnx, SentenceEmbedder fromGguf) {
        assertThat(fromGguf.name()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(fromGguf.encoder().config()).isEqualTo(onnx.encoder().config());
        assertThat(fromGguf.pooling()).isEqualTo(Pooling.MEAN);

        List<String> texts = ReferenceTexts.generate(60, 3L);
        List<float[]> expected = onnx.embed(texts);
        List<float[]> actual = fromGguf.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(fromGguf.tokenize(texts.get(i))).as(texts.get(i)).containsExactly(onnx.tokenize(texts.get(i)));
            assertThat(actual.get(i)).as(texts.get(i)).containsExactly(expected.get(i));
        }
    }

    @Test
    void nonBertArchitectureIsRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("llama.gguf");
        new GgufWriter().put("general.architecture", "llama").write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(() -> BertGguf.read(gguf)).isInstanceOf(GgufException.class)
                    .hasMessageContaining("only 'bert'");
        }
    }
}
