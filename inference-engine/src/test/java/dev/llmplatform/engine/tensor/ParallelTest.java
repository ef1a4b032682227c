package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceAcrossManyJobs() {
        try (Parallel parallel = new Parallel(4)) {
            runJobs(parallel, 2000);
        }
    }

    /** Runs {@code jobs} jobs of varied sizes and grains, checking each index ran exactly once. */
    private static void runJobs(Parallel parallel, int jobs) {
        for (int job = 0; job < jobs; job++) {
            int n = 1 + job % 300;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            parallel.forRange(n, 1 + job % 7, (start, end) -> {
                for (int i = start; i < end; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertThat(hits.get(i)).as("job %d index %d", job, i).isEqualTo(1);
            }
        }
    }

    @Test
    void twoPoolsWorkAtTheSameTimeEachOnItsOwnThreads() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (Parallel a = new Parallel(3); Parallel b = new Parallel(2)) {
            assertThat(a.threads()).isEqualTo(3);
            assertThat(b.threads()).isEqualTo(2);
            CountDownLatch start = new CountDownLatch(1);
            Future<?> fa = callers.submit(() -> {
                start.await();
                runJobs(a, 1500);
                return null;
            });
            Future<?> fb = callers.submit(() -> {
                start.await();
                runJobs(b, 1500);
                return null;
            });
            start.countDown();
            fa.get();
            fb.get();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void failuresReachTheCallerAndThePoolKeepsWorking() {
        try (Parallel parallel = new Parallel(2)) {
            assertThatThrownBy(() -> parallel.forRange(100, 10, (start, end) -> {
                if (start == 50) {
                    throw new IllegalStateException("chunk 50 failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 50 failed");
            AtomicIntegerArray hits = new AtomicIntegerArray(100);
            parallel.forRange(100, 10, (start, end) -> {
                for (int i = start; i < end; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (Parallel parallel = new Parallel(3)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
            parallel.forRange(64, 4, (start, end) -> {
                for (int i = start; i < end; i++) {
                    int row = i;
                    parallel.forRange(64, 8, (s, e) -> {
                        for (int j = s; j < e; j++) {
                            hits.incrementAndGet(row * 64 + j);
                        }
                    });
                }
            });
            for (int i = 0; i < hits.length(); i++) {
                assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void aClosedPoolRefusesWorkAndItsThreadsEnd() throws Exception {
        Parallel parallel = new Parallel(3);
        parallel.forRange(100, 10, (start, end) -> { });
        long workersBefore = workerThreads();
        parallel.close();
        parallel.close(); // idempotent
        assertThat(parallel.isClosed()).isTrue();
        assertThatThrownBy(() -> parallel.forRange(100, 10, (start, end) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> parallel.forRange(5, (start, end) -> { })) // a range too small to split
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        // Its two helper threads exit (they are parked or spinning; close wakes them).
        for (int i = 0; i < 200 && workerThreads() > workersBefore - 2; i++) {
            Thread.sleep(10);
        }
        assertThat(workerThreads()).isLessThanOrEqualTo(workersBefore - 2);
    }

    @Test
    void threadCountsBelowOneAreRejected() {
        assertThatThrownBy(() -> new Parallel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be ≥ 1");
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("llmp-worker-") && t.isAlive()).count();
    }
}
