package dev.llmplatform.engine.tensor;

/**
 * The engine's worker pool: a fixed set of threads created once, shared by all kernels, so the decode
 * loop creates no threads and allocates nothing per call. Sized by {@code -Dllmp.threads} (the CLI's
 * {@code --threads}), default the number of available processors. The calling thread works too, so
 * {@code threads() - 1} helper threads are started.
 *
 * <p>Ranges are handed out in chunks from a shared counter rather than split statically: when a core is
 * busy with something else, the other threads take over its share instead of waiting for it.
 */
public final class Parallel {
    /** Ranges smaller than twice this run on the calling thread. */
    private static final int MIN_CHUNK = 16;
    /** Chunks per thread in the default split: enough to even out a slow thread, few enough to be cheap. */
    private static final int CHUNKS_PER_THREAD = 4;

    private static volatile WorkerPool pool = new WorkerPool(defaultThreads());

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
        return pool.threads();
    }

    /** Replaces the pool (e.g. {@code --threads N}); call before heavy work starts. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + n);
        }
        if (n != pool.threads()) {
            WorkerPool old = pool;
            pool = new WorkerPool(n);
            old.shutdown();
        }
    }

    /** Runs {@code body} over [0, n), split into a few chunks per thread. */
    public static void forRange(int n, RangeBody body) {
        int threads = pool.threads();
        if (threads == 1 || n < 2 * MIN_CHUNK) {
            body.run(0, n);
            return;
        }
        int grain = Math.max(MIN_CHUNK, ceilDiv(n, threads * CHUNKS_PER_THREAD));
        pool.run(n, grain, body);
    }

    /**
     * Runs {@code body} over [0, n) in chunks of {@code grain} indices (the last may be shorter), spread
     * over the pool's threads; returns when all are done. A call from inside a body runs inline.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be ≥ 1, got " + grain);
        }
        if (pool.threads() == 1 || n <= grain) {
            body.run(0, n);
            return;
        }
        pool.run(n, grain, body);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
