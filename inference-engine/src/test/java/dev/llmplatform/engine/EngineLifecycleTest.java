package dev.llmplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.benchmark.BenchmarkModelWriter;
import dev.llmplatform.engine.benchmark.ModelShape;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loaded model owns its threads and memory: engines with different thread counts run side by side
 * without affecting each other's results, closing one frees what it allocated and makes later use fail
 * clearly, and warming up at load changes nothing but speed.
 */
class EngineLifecycleTest {
    private static final int[] PROMPT = {1, 300, 301, 302, 500, 77, 901};
    private static final int STEPS = 12;

    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny-q8.gguf");
        // Q8_0 layers and embeddings: every product runs on interleaved copies (where the Vector API is on).
        new BenchmarkModelWriter(ModelShape.TINY, GgmlType.Q8_0, GgmlType.Q8_0, 11).write(model);
    }

    /** The logits after the prompt (one batched pass) and after each of {@link #STEPS} decode steps. */
    private static List<float[]> run(Engine engine) {
        Sequence seq = engine.newSequence(PROMPT.length + STEPS);
        List<float[]> logits = new ArrayList<>();
        logits.add(seq.append(PROMPT).clone());
        for (int i = 0; i < STEPS; i++) {
            logits.add(seq.append(100 + 37 * i).clone());
        }
        return logits;
    }

    private static void assertClose(List<float[]> actual, List<float[]> expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < expected.get(i).length; j++) {
                assertThat(actual.get(i)[j]).as("%s, step %d, logit %d", what, i, j)
                        .isCloseTo(expected.get(i)[j], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void enginesWithDifferentThreadCountsRunConcurrentlyAsEachDoesAlone() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (Engine one = Engine.load(model, 1); Engine three = Engine.load(model, 3)) {
            assertThat(one.threads()).isEqualTo(1);
            assertThat(three.threads()).isEqualTo(3);
            List<float[]> aloneOne = run(one);
            List<float[]> aloneThree = run(three);
            // Agreement is to rounding, not bitwise: the Vector API sums in another order before C2 has
            // compiled a kernel than after, and a chunk's end can change how a kernel pairs rows. Mixing up
            // two models' work would be off by far more.
            assertClose(aloneThree, aloneOne, "3 threads vs 1");
            for (int round = 0; round < 4; round++) {
                CountDownLatch start = new CountDownLatch(1);
                Future<List<float[]>> a = callers.submit(() -> {
                    start.await();
                    return run(one);
                });
                Future<List<float[]>> b = callers.submit(() -> {
                    start.await();
                    return run(three);
                });
                start.countDown();
                assertClose(a.get(), aloneOne, "1 thread, concurrently, round " + round);
                assertClose(b.get(), aloneThree, "3 threads, concurrently, round " + round);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void closeFreesTheModelsMemoryAndLaterUseFailsClearly() {
        Engine engine = Engine.load(model, 2);
        long expected = 0;
        for (WeightMatrix m : engine.model().matrices()) {
            if (m.isInterleaved()) {
                expected += WeightMatrix.residentBytes(m.type(), m.data().byteSize());
            }
        }
        List<WeightMatrix> matrices = engine.model().matrices();
        assertThat(engine.allocatedBytes()).as("off-heap copies owned by the model")
                .isEqualTo(expected);
        Sequence seq = engine.newSequence(16);
        seq.append(PROMPT);

        engine.close();
        engine.close(); // idempotent
        assertThat(engine.isClosed()).isTrue();
        assertThat(engine.allocatedBytes()).isZero();
        assertThat(matrices.getFirst().data().scope().isAlive()).as("the mapped file is unmapped").isFalse();
        assertThatThrownBy(() -> seq.append(5)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> engine.newSequence(16)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(engine::tokenizer).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> engine.newScheduler(2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingWhileAnotherThreadDecodesStopsItWithAnException() throws Exception {
        Engine engine = Engine.load(model, 2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch decoding = new CountDownLatch(1);
        Thread decoder = Thread.ofPlatform().start(() -> {
            try {
                while (true) {
                    Sequence seq = engine.newSequence(64);
                    seq.append(PROMPT);
                    decoding.countDown();
                    for (int i = 0; i < 50; i++) {
                        seq.append(1 + i);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        decoding.await();
        engine.close();
        decoder.join(60_000);
        assertThat(decoder.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void warmUpAtLoadChangesNothingButSpeed() {
        List<float[]> cold;
        long coldBytes;
        try (Engine engine = Engine.load(model, 2, false)) {
            cold = run(engine);
            coldBytes = engine.allocatedBytes();
        }
        long workersBefore = workerThreads();
        try (Engine engine = Engine.load(model, 2, true)) {
            // Its synthetic matrices and their pool are gone; the model's own copies are all that remain.
            assertThat(engine.allocatedBytes()).isEqualTo(coldBytes);
            assertClose(run(engine), cold, "warmed up vs cold");
            assertThat(workerThreads()).as("the model's one helper thread; the warm-up's have ended")
                    .isLessThanOrEqualTo(workersBefore + 1);
        }
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("llmp-worker-") && t.isAlive()).count();
    }
}
