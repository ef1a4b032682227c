package dev.llmplatform.engine.runtime;

import java.util.concurrent.CompletableFuture;

/** A request queued on a {@link Scheduler}: its eventual result, and a way to stop it early. */
public final class GenerationHandle {
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile GenerationSession session;
    private volatile boolean cancelled;

    GenerationHandle() {
    }

    /** Completes when generation ends; exceptionally if the request could not run (e.g. its prompt is too long). */
    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /** Ends the generation at its next step with {@link FinishReason#CANCELLED} (e.g. the client disconnected). */
    public void cancel() {
        cancelled = true;
        GenerationSession s = session;
        if (s != null) {
            s.cancel();
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    void attach(GenerationSession s) {
        session = s;
        if (cancelled) {
            s.cancel();
        }
    }

    CompletableFuture<GenerationResult> future() {
        return result;
    }
}
