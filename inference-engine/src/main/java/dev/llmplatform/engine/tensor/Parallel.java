package dev.llmplatform.engine.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The engine's worker pool: a fixed set of threads created once, shared by all kernels, so the decode
 * loop creates no threads. Sized by {@code -Dllmp.threads} (the CLI's {@code --threads}), default the
 * number of available processors.
 */
public final class Parallel {
    /** Ranges smaller than this run on the calling thread. */
    private static final int MIN_CHUNK = 16;

    private static volatile ForkJoinPool pool = new ForkJoinPool(defaultThreads());

    /** A body over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private Parallel() {
    }

    private static int defaultThreads() {
        String configured = System.getProperty("llmp.threads");
        return configured != null ? Integer.parseInt(configured) : Runtime.getRuntime().availableProcessors();
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the pool (e.g. {@code --threads N}); call before heavy work starts. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + n);
        }
        if (n != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(n);
            old.shutdown();
        }
    }

    /** Runs {@code body} over [0, n) split into one chunk per thread. */
    public static void forRange(int n, RangeBody body) {
        int threads = pool.getParallelism();
        if (threads == 1 || n < 2 * MIN_CHUNK) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(threads, n / MIN_CHUNK);
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] tasks = new RecursiveAction[chunks];
                for (int c = 0; c < chunks; c++) {
                    int start = (int) ((long) n * c / chunks);
                    int end = (int) ((long) n * (c + 1) / chunks);
                    tasks[c] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(start, end);
                        }
                    };
                }
                invokeAll(tasks);
            }
        });
    }
}
