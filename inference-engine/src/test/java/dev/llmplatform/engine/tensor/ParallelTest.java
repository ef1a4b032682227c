package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private final int previous = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(previous);
    }

    @Test
    void everyIndexRunsExactlyOnceAcrossManyJobs() {
        Parallel.setThreads(4);
        for (int job = 0; job < 2000; job++) {
            int n = 1 + job % 300;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Parallel.forRange(n, 1 + job % 7, (start, end) -> {
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
    void failuresReachTheCallerAndThePoolKeepsWorking() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forRange(100, 10, (start, end) -> {
            if (start == 50) {
                throw new IllegalStateException("chunk 50 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("chunk 50 failed");
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(100, 10, (start, end) -> {
            for (int i = start; i < end; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertThat(hits.get(i)).isEqualTo(1);
        }
    }

    @Test
    void nestedCallsRunInline() {
        Parallel.setThreads(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forRange(64, 4, (start, end) -> {
            for (int i = start; i < end; i++) {
                int row = i;
                Parallel.forRange(64, 8, (s, e) -> {
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
