package dev.llmplatform.engine.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads behind a {@link Parallel}. One job runs at a time; its chunks are claimed through a single
 * counter that also carries the job's generation, so a worker that wakes late can never claim a chunk
 * of a job whose fields it has not seen. Workers spin briefly between jobs (the decode loop issues the
 * next matrix product within microseconds) and then park.
 */
final class WorkerPool {
    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submit = new ReentrantLock();

    /**
     * (generation << 32) | next unclaimed chunk. Each job takes two generations: the first, with no
     * claimable chunk, while its fields are written; the second to run.
     */
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    // The current job; written only while no chunk of the previous job is pending, before the cursor
    // publishes the new generation.
    private Parallel.RangeBody body;
    private int n;
    private int grain;
    private volatile int chunks;
    private volatile Throwable failure;
    private volatile boolean shutdown;

    WorkerPool(int threads) {
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    int threads() {
        return threads;
    }

    boolean isShutdown() {
        return shutdown;
    }

    void checkOpen() {
        if (shutdown) {
            throw new IllegalStateException("the worker pool is closed (its model or encoder was closed)");
        }
    }

    void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    void run(int n, int grain, Parallel.RangeBody body) {
        if (Thread.currentThread() instanceof Worker || submit.isHeldByCurrentThread()) {
            body.run(0, n); // nested inside a running job
            return;
        }
        submit.lock();
        try {
            checkOpen();
            int count = Parallel.ceilDiv(n, grain);
            // Close the previous job first: a worker still looping on it must fail its next claim
            // before the fields below change under it.
            long generation = (cursor.get() >>> 32) + 2;
            cursor.set(((generation - 1) << 32) | Integer.MAX_VALUE);
            this.body = body;
            this.n = n;
            this.grain = grain;
            this.chunks = count;
            this.failure = null;
            pending.set(count);
            cursor.set(generation << 32);
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            work(generation);
            int spins = 0;
            while (pending.get() > 0) {
                if (++spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a helper was descheduled; don't burn the core it needs
                }
            }
            this.body = null;
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            submit.unlock();
        }
    }

    /** Claims and runs chunks of job {@code generation} until none are left. */
    private void work(long generation) {
        while (true) {
            long cur = cursor.get();
            if (cur >>> 32 != generation) {
                return;
            }
            int chunk = (int) cur;
            if (chunk >= chunks) {
                return;
            }
            if (!cursor.compareAndSet(cur, cur + 1)) {
                continue;
            }
            // The claimed chunk keeps the job pending, so its fields stay as they are until we finish.
            int start = chunk * grain;
            try {
                body.run(start, Math.min(n, start + grain));
            } catch (Throwable t) {
                failure = t;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("llmp-worker-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (!shutdown) {
                long generation = cursor.get() >>> 32;
                if (generation != seen) {
                    seen = generation;
                    work(generation);
                    continue;
                }
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (cursor.get() >>> 32 == seen && !shutdown) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (cursor.get() >>> 32 == seen && !shutdown) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
            }
        }
    }
}
