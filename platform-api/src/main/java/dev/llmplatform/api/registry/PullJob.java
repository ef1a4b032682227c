package dev.llmplatform.api.registry;

/** One background pull: its state as {@code GET /v1/admin/models/pull/{id}} reports it. */
public final class PullJob {
    public enum Status { queued, running, succeeded, failed }

    /**
     * What a poll sees.
     *
     * @param bytes          bytes on disk so far
     * @param total          the file's size, -1 while unknown
     * @param bytesPerSecond current transfer rate
     * @param etaSeconds     -1 while unknown
     * @param errorKind      {@link HubException.Kind} name when failed, else null
     * @param entry          the registry entry once succeeded
     */
    public record Snapshot(String id, String model, Status status, String file, long bytes, long total, double bytesPerSecond,
            long etaSeconds, String error, String errorKind, RegistryEntry entry) {}

    private final String id;
    private final String model;
    private volatile Status status = Status.queued;
    private volatile PullProgress progress;
    private volatile String error;
    private volatile String errorKind;
    private volatile RegistryEntry entry;

    PullJob(String id, String model) {
        this.id = id;
        this.model = model;
    }

    public String id() {
        return id;
    }

    boolean finished() {
        return status == Status.succeeded || status == Status.failed;
    }

    void run(ModelPuller puller, ModelRef ref) {
        status = Status.running;
        try {
            entry = puller.pull(ref, p -> progress = p);
            status = Status.succeeded;
        } catch (HubException e) {
            fail(e.getMessage(), e.kind().name());
        } catch (RuntimeException e) {
            // Disk full, permission denied…: reported on the job, not lost in a worker thread.
            fail(e.getMessage() != null ? e.getMessage() : e.toString(), null);
        }
    }

    private void fail(String message, String kind) {
        error = message;
        errorKind = kind;
        status = Status.failed;
    }

    public Snapshot snapshot() {
        PullProgress p = progress;
        RegistryEntry e = entry;
        return new Snapshot(id, model, status, p != null ? p.file() : null, p != null ? p.bytes() : 0, p != null ? p.total() : -1,
                p != null && status == Status.running ? p.bytesPerSecond() : 0, p != null && status == Status.running ? p.etaSeconds() : -1,
                error, errorKind, e);
    }
}
