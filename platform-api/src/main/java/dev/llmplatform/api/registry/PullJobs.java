package dev.llmplatform.api.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pulls running in the background for the REST API: each gets an id whose progress can be polled. A
 * fixed number of pulls run at once (the rest queue); the most recent {@value #KEPT_JOBS} jobs are
 * remembered. {@link #close()} stops the workers (a running download stops at its next read and keeps its
 * partial file for a later resume).
 */
public final class PullJobs implements AutoCloseable {
    static final int KEPT_JOBS = 100;

    private final ModelPuller puller;
    private final ExecutorService workers;
    private final Map<String, PullJob> jobs = new LinkedHashMap<>();

    public PullJobs(ModelPuller puller, int concurrentPulls) {
        this.puller = puller;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrentPulls, r -> {
            Thread t = new Thread(r, "llmp-pull-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a pull of {@code ref} and returns its job at once. */
    public PullJob start(ModelRef ref) {
        PullJob job = new PullJob(UUID.randomUUID().toString().replace("-", "").substring(0, 16), ref.toString());
        synchronized (jobs) {
            jobs.put(job.id(), job);
            if (jobs.size() > KEPT_JOBS) {
                // Forget the oldest finished job; running ones are always kept.
                jobs.values().stream().filter(PullJob::finished).findFirst().ifPresent(old -> jobs.remove(old.id()));
            }
        }
        workers.execute(() -> job.run(puller, ref));
        return job;
    }

    public Optional<PullJob> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
