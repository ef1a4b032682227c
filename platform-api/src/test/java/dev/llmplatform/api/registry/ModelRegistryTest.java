package dev.llmplatform.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path dir;

    @Test
    void listsNameSizeArchitectureQuantContextAndSha256() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir);
        byte[] bytes = FakeHub.tinyGguf(dir, "x.gguf", 640, 7);
        Files.write(dir.resolve("tiny.gguf"), bytes);
        // No general.file_type: the quantization is the type of most weight bytes (Q8_0, not the F32 norm).
        new GgufWriter()
                .put("general.architecture", "qwen2")
                .putUint32("qwen2.context_length", 32768)
                .addF32("output_norm.weight", new long[] {32}, new float[32])
                .addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {32, 4}, GgufWriter.TensorData.of(new byte[4 * 34]))
                .write(dir.resolve("qwen.gguf"));
        Files.writeString(dir.resolve("broken.gguf"), "not a model");
        Files.writeString(dir.resolve("half.gguf.part"), "GGUF...");

        var entries = registry.list();
        assertThat(entries).extracting(RegistryEntry::name).containsExactly("broken", "qwen", "tiny");
        RegistryEntry tiny = entries.get(2);
        assertThat(tiny.size()).isEqualTo(bytes.length);
        assertThat(tiny.architecture()).isEqualTo("llama");
        assertThat(tiny.quantization()).isEqualTo("Q4_K_M");
        assertThat(tiny.contextLength()).isEqualTo(2048);
        assertThat(tiny.sha256()).isEqualTo(FakeHub.sha256(bytes));
        assertThat(tiny.verified()).isFalse();
        assertThat(tiny.source()).isNull();
        assertThat(tiny.file()).isEqualTo(dir.resolve("tiny.gguf").toAbsolutePath());
        RegistryEntry qwen = entries.get(1);
        assertThat(qwen.architecture()).isEqualTo("qwen2");
        assertThat(qwen.quantization()).isEqualTo("Q8_0");
        assertThat(qwen.contextLength()).isEqualTo(32768);
        RegistryEntry broken = entries.get(0);
        assertThat(broken.error()).isNotBlank();
        assertThat(broken.sha256()).hasSize(64);
    }

    @Test
    void theSha256IsCachedBesideTheFileAndRecomputedWhenTheFileChanges() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir);
        Path model = dir.resolve("m.gguf");
        byte[] bytes = FakeHub.tinyGguf(dir, "x.gguf", 640, 3);
        Files.write(model, bytes);
        assertThat(registry.list().getFirst().sha256()).isEqualTo(FakeHub.sha256(bytes));
        Path sidecar = dir.resolve("m.gguf.llmp");
        assertThat(sidecar).exists();

        // A listing trusts the sidecar while size and modification time match: it does not rehash.
        String cached = Files.readString(sidecar).replace(FakeHub.sha256(bytes), "a".repeat(64));
        Files.writeString(sidecar, cached);
        assertThat(registry.list().getFirst().sha256()).isEqualTo("a".repeat(64));

        // Touching the file invalidates the cache.
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() - 5000));
        assertThat(registry.list().getFirst().sha256()).isEqualTo(FakeHub.sha256(bytes));
    }

    @Test
    void resolveAndRemoveByName() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir);
        Files.write(dir.resolve("m.gguf"), FakeHub.tinyGguf(dir, "x.gguf", 640, 3));
        Files.writeString(dir.resolve("m.gguf.part"), "GGUF");
        registry.list();
        assertThat(registry.resolve("m")).isEqualTo(dir.resolve("m.gguf").toAbsolutePath());
        assertThat(registry.resolve("m.gguf")).isEqualTo(registry.resolve("m"));
        assertThat(registry.find("m")).isPresent();

        registry.remove("m");
        assertThat(dir.resolve("m.gguf")).doesNotExist();
        assertThat(dir.resolve("m.gguf.llmp")).doesNotExist();
        assertThat(dir.resolve("m.gguf.part")).doesNotExist();
        assertThat(registry.find("m")).isEmpty();
        assertThatThrownBy(() -> registry.resolve("m")).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("no model 'm'").hasMessageContaining("llmp pull");
        assertThatThrownBy(() -> registry.remove("m")).isInstanceOf(UnknownModelException.class);
        for (String bad : new String[] {"../etc/passwd", "a/b", ".hidden", " "}) {
            assertThatThrownBy(() -> registry.resolve(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a model name");
        }
    }
}
