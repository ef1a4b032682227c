package dev.llmplatform.engine.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A BERT GGUF written from the imported MiniLM weights loads through the same encoder. */
class BertGgufRoundTripTest {
    /** The bundled MiniLM imported from ONNX, loaded once for the tests that write it as GGUF. */
    @AutoClose
    private static final SentenceEmbedder ONNX = SentenceEmbedder.loadDefault();

    @Test
    void miniLmWrittenAsGgufEmbedsIdentically(@TempDir Path dir) throws Exception {
        roundTrip(ONNX, dir);
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

    /**
     * A file whose {@code bert.pooling_type} is 2 (CLS, as BGE-style models declare) embeds the [CLS]
     * token's last hidden state: MiniLM's weights written that way agree with ONNX Runtime's [CLS] row,
     * and not with its mean. An undefined pooling type is a clear error.
     */
    @Test
    void poolingFollowsTheFilesPoolingType(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("minilm-cls.gguf");
        BertGguf.write(ONNX.encoder().weights(), ONNX.tokenizer(), Pooling.CLS, "minilm-cls", file);
        List<String> texts = ReferenceTexts.generate(6, 5L);
        try (SentenceEmbedder cls = SentenceEmbedder.load(file, 2); OnnxRuntimeReference ort = new OnnxRuntimeReference(2)) {
            assertThat(cls.pooling()).isEqualTo(Pooling.CLS);
            List<float[]> actual = cls.embed(texts);
            int[][] ids = texts.stream().map(cls::tokenize).toArray(int[][]::new);
            float[][] expected = ort.embed(ids, Pooling.CLS);
            float[][] mean = ort.embed(ids, Pooling.MEAN);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(cosine(actual.get(i), expected[i])).as(texts.get(i)).isGreaterThan(0.9999);
                assertThat(cosine(actual.get(i), mean[i])).as(texts.get(i)).isLessThan(0.99);
            }
        }
        Path unsupported = dir.resolve("pooling-rank.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            new GgufWriter().putAll(gguf.metadata()).putUint32("bert.pooling_type", 4).write(unsupported);
        }
        try (GgufFile gguf = GgufFile.open(unsupported)) {
            assertThatThrownBy(() -> BertGguf.read(gguf)).hasMessageContaining("pooling type 4 is not supported");
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
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
