package dev.llmplatform.engine.tensor;

/**
 * A worker pool: a fixed set of threads created once and owned by whoever made it (a loaded model, a
 * sentence encoder), so the decode loop creates no threads and allocates nothing per call, and two models
 * in one process each run on their own threads. The calling thread works too, so {@code threads() - 1}
 * helper threads are started. {@link #close()} stops them; a pool used after that fails with
 * {@link IllegalStateException}.
 *
 * <p>Ranges are handed out in chunks from a shared counter rather than split statically: when a core is
 * busy with something else, the other threads take over its share instead of waiting for it.
 */
public final class Parallel implements AutoCloseable {
    /** Ranges smaller than twice this run on the calling thread. */
    private static final int MIN_CHUNK = 16;
    /** Chunks per thread in the default split: enough to even out a slow thread, few enough to be cheap. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final WorkerPool pool;

    /** A body over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /** A pool of {@code threads} threads in all, the caller's included: {@code threads - 1} are started. */
    public Parallel(int threads) {
        this.pool = new WorkerPool(checkThreads(threads));
    }

    /** {@code -Dllmp.threads} when set, else the number of available processors. */
    public static int defaultThreads() {
        String configured = System.getProperty("llmp.threads");
        if (configured == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return checkThreads(Integer.parseInt(configured.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dllmp.threads must be a whole number ≥ 1, got '" + configured + "'");
        }
    }

    /** {@code threads} if it is a valid thread count. */
    public static int checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        return threads;
    }

    public int threads() {
        return pool.threads();
    }

    /** Runs {@code body} over [0, n), split into a few chunks per thread. */
    public void forRange(int n, RangeBody body) {
        int threads = pool.threads();
        if (threads == 1 || n < 2 * MIN_CHUNK) {
            pool.checkOpen();
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
    public void forRange(int n, int grain, RangeBody body) {
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be ≥ 1, got " + grain);
        }
        if (pool.threads() == 1 || n <= grain) {
            pool.checkOpen();
            body.run(0, n);
            return;
        }
        pool.run(n, grain, body);
    }

    /** Chunks of about a quarter of {@code n / threads()}, at least one: the decode split. */
    public int quarterGrain(int n) {
        return Math.max(1, ceilDiv(n, 4 * pool.threads()));
    }

    public boolean isClosed() {
        return pool.isShutdown();
    }

    /** Stops the helper threads once the job in progress, if any, is done. Idempotent. */
    @Override
    public void close() {
        pool.shutdown();
    }

    public static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
