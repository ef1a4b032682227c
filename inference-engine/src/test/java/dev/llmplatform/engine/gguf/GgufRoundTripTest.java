package dev.llmplatform.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.testing.SharedTestData;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackEveryValueTypeAndTensor() throws Exception {
        Path file = dir.resolve("t.gguf");
        float[] weights = {1f, -2f, 3.5f, 0f, 7f, 8f};
        new GgufWriter()
                .put("general.architecture", "test")
                .putUint32("test.context_length", 4_000_000_000L)
                .put("test.eps", 1e-5f)
                .put("test.flag", true)
                .put("tokens", new String[] {"a", "ü", ""})
                .put("scores", new float[] {0.5f, -1f})
                .putInt32("types", new int[] {1, 2, 3})
                .put("nested", GgufValue.ofArrays(GgufValueType.ARRAY,
                        List.of(GgufValue.ofInt32(new int[] {1}), GgufValue.ofInt32(new int[] {2, 3}))))
                .put("i8", new GgufValue(GgufValueType.INT8, null, -5))
                .put("u64", new GgufValue(GgufValueType.UINT64, null, 1L << 40))
                .put("f64", new GgufValue(GgufValueType.FLOAT64, null, 0.25))
                .addF32("w", new long[] {3, 2}, weights)
                .addF32("b", new long[] {1}, new float[] {42f})
                .write(file);

        try (GgufFile g = GgufFile.open(file)) {
            GgufMetadata m = g.metadata();
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.architecture()).isEqualTo("test");
            assertThat(m.requireInteger("test.context_length")).isEqualTo(4_000_000_000L);
            assertThat(m.floatOr("test.eps", 0)).isEqualTo(1e-5f);
            assertThat(m.boolOr("test.flag", false)).isTrue();
            assertThat(m.strings("tokens")).hasValueSatisfying(t -> assertThat(t).containsExactly("a", "ü", ""));
            assertThat(m.floats("scores")).hasValueSatisfying(s -> assertThat(s).containsExactly(0.5f, -1f));
            assertThat(m.ints("types")).hasValueSatisfying(s -> assertThat(s).containsExactly(1, 2, 3));
            assertThat((List<?>) m.get("nested").orElseThrow().value()).hasSize(2);
            assertThat(m.integer("i8")).contains(-5L);
            assertThat(m.integer("u64")).contains(1L << 40);
            assertThat(m.number("f64")).contains(0.25);

            GgufTensor w = g.requireTensor("w");
            assertThat(w.type()).isEqualTo(GgmlType.F32);
            assertThat(w.rowLength()).isEqualTo(3);
            assertThat(w.rowCount()).isEqualTo(2);
            assertThat(w.data().toArray(ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN))).containsExactly(weights);
            assertThat(g.requireTensor("b").offset() % g.alignment()).isZero();
            assertThat(g.requireTensor("b").data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0)).isEqualTo(42f);
        }
    }

    @Test
    void truncatedFileNamesTheProblem() throws Exception {
        Path file = dir.resolve("t.gguf");
        new GgufWriter().put("general.architecture", "test").addF32("w", new long[] {64}, new float[64]).write(file);
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        assertThatThrownBy(() -> GgufFile.open(cut)).isInstanceOf(GgufException.class).hasMessageContaining("truncated");
    }

    @Test
    void readsARealModelFile() {
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        try (GgufFile g = GgufFile.open(model)) {
            assertThat(g.architecture()).isEqualTo("llama");
            assertThat(g.metadata().strings("tokenizer.ggml.tokens").orElseThrow()).hasSize(32000);
            assertThat(g.tensors()).isNotEmpty();
            assertThat(g.tensors().values()).anyMatch(t -> t.type() == GgmlType.Q8_0);
        }
    }
}
