package dev.llmplatform.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one loaded model's weight products run with, owned by that model: its {@link Parallel} worker
 * pool and the shared arena holding its interleaved weight copies. {@link #close()} stops the threads
 * and frees the copies at once (not whenever the garbage collector gets to them); any product after
 * that fails with {@link IllegalStateException} instead of touching freed memory.
 */
public final class ComputeResources implements AutoCloseable {
    private final Parallel parallel;
    private final Arena arena = Arena.ofShared();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private volatile boolean closed;

    /** A pool of {@code threads} threads (the caller's included) and an empty arena. */
    public ComputeResources(int threads) {
        this.parallel = new Parallel(threads);
    }

    public Parallel parallel() {
        return parallel;
    }

    public int threads() {
        return parallel.threads();
    }

    /** Off-heap bytes allocated for this model so far (its interleaved copies); 0 once closed. */
    public long allocatedBytes() {
        return closed ? 0 : allocatedBytes.get();
    }

    /** {@code bytes} of zeroed off-heap memory, aligned to {@code alignment}, freed by {@link #close()}. */
    MemorySegment allocate(long bytes, long alignment) {
        checkOpen();
        MemorySegment segment = arena.allocate(bytes, alignment);
        allocatedBytes.addAndGet(bytes);
        return segment;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Throws {@link IllegalStateException} once closed: a clear message rather than a freed-memory error. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the model is closed; load it again to use it");
        }
    }

    /**
     * Stops the worker threads and frees the off-heap copies. Work still running on another thread fails
     * with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        parallel.close();
        arena.close();
    }
}
