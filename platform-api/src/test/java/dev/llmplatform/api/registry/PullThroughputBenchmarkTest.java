package dev.llmplatform.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers for the registry (not run by default): pull throughput over loopback through the fake hub's
 * redirect (HTTP + sha256 + write), a pull resumed after a drop at half, and listing with and without the
 * sha256 cache. Run: {@code -Dtest=PullThroughputBenchmarkTest -Dllmp.bench.pullMiB=256}.
 */
@EnabledIfSystemProperty(named = "llmp.bench.pullMiB", matches = "\\d+")
class PullThroughputBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        int mib = Integer.getInteger("llmp.bench.pullMiB");
        byte[] weights = new byte[mib << 20];
        new Random(1).nextBytes(weights);
        Path source = dir.resolve("src.gguf");
        new GgufWriter().put("general.architecture", "llama")
                .addTensor("w", GgmlType.I8, new long[] {weights.length}, GgufWriter.TensorData.of(weights))
                .write(source);
        byte[] file = Files.readAllBytes(source);
        Files.delete(source);
        weights = null;
        try (FakeHub hub = new FakeHub()) {
            hub.file("bench/Big-GGUF", "big.gguf", file);
            HubClient client = new HubClient(hub.endpoint(), null, Duration.ofSeconds(10), Duration.ofSeconds(30));

            ModelRegistry fresh = new ModelRegistry(dir.resolve("a"));
            long t0 = System.nanoTime();
            new ModelPuller(client, fresh, 1, Duration.ZERO, Duration.ofMillis(250)).pull(ModelRef.parse("bench/Big-GGUF:big.gguf", null), p -> { });
            double pull = (System.nanoTime() - t0) / 1e9;

            ModelRegistry resumed = new ModelRegistry(dir.resolve("b"));
            hub.dropNextAfter.set(file.length / 2);
            t0 = System.nanoTime();
            new ModelPuller(client, resumed, 2, Duration.ZERO, Duration.ofMillis(250)).pull(ModelRef.parse("bench/Big-GGUF:big.gguf", null), p -> { });
            double resume = (System.nanoTime() - t0) / 1e9;
            assertThat(hub.requestsTo("cdn").getLast().range()).isNotNull();

            Files.delete(dir.resolve("a/big.gguf.llmp"));
            t0 = System.nanoTime();
            fresh.list();
            double listHashing = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            fresh.list();
            double listCached = (System.nanoTime() - t0) / 1e9;

            double mb = file.length / 1048576.0;
            System.out.printf(Locale.ROOT, "pull %.0f MiB: %.2f s (%.0f MiB/s); dropped at half + resumed: %.2f s;"
                    + " list without sha256 cache: %.3f s (%.0f MiB/s), with cache: %.4f s%n",
                    mb, pull, mb / pull, resume, listHashing, mb / listHashing, listCached);
        }
    }
}
