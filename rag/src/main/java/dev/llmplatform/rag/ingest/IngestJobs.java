package dev.llmplatform.rag.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs ingests in the background, one at a time per owner (embedding saturates the cores anyway), and
 * remembers the last {@value #KEPT_JOBS} jobs' states for polling. Owns its worker thread: {@link #close()}
 * interrupts a running ingest (batches already stored stay stored) and stops the thread.
 */
public final class IngestJobs implements AutoCloseable {
    private static final int KEPT_JOBS = 1000;

    private final Ingestor ingestor;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "llmp-ingest");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, IngestJob> jobs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IngestJob> eldest) {
            return size() > KEPT_JOBS && eldest.getValue().finished();
        }
    };

    public IngestJobs(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    /** Queues the documents for ingestion into the collection and returns the queued job. */
    public IngestJob submit(String collection, List<SourceDocument> documents) {
        return submit(collection, documents, p -> { });
    }

    /** Like {@link #submit(String, List)}, also telling {@code onBatch} the progress after each stored batch. */
    public IngestJob submit(String collection, List<SourceDocument> documents, java.util.function.Consumer<IngestProgress> onBatch) {
        String id = "ingest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        IngestJob job = new IngestJob(id, collection, "queued", new IngestProgress(documents.size(), 0, 0, 0, 0),
                null, Instant.now(), null);
        update(job);
        worker.execute(() -> run(job, documents, onBatch));
        return job;
    }

    private void run(IngestJob queued, List<SourceDocument> documents, java.util.function.Consumer<IngestProgress> onBatch) {
        update(withState(queued, "running", queued.progress(), null));
        try {
            IngestProgress done = ingestor.ingest(queued.collection(), documents,
                    p -> {
                        update(withState(get(queued.id()).orElse(queued), "running", p, null));
                        onBatch.accept(p);
                    });
            update(withState(get(queued.id()).orElse(queued), "succeeded", done, null));
        } catch (RuntimeException e) {
            IngestJob current = get(queued.id()).orElse(queued);
            update(withState(current, "failed", current.progress(), e.getMessage() != null ? e.getMessage() : e.toString()));
        }
    }

    private static IngestJob withState(IngestJob j, String state, IngestProgress p, String error) {
        boolean finished = state.equals("succeeded") || state.equals("failed");
        return new IngestJob(j.id(), j.collection(), state, p, error, j.createdAt(), finished ? Instant.now() : null);
    }

    private synchronized void update(IngestJob job) {
        jobs.put(job.id(), job);
    }

    public synchronized Optional<IngestJob> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
