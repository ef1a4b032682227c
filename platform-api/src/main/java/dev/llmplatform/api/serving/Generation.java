package dev.llmplatform.api.serving;

import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationHandle;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.GenerationResult;
import dev.llmplatform.engine.runtime.Sequence;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One running generation on a served model: a sequence taken from the model's pool, the request queued
 * on its scheduler, and the sequence given back (with its KV cache, for prefix reuse) the moment the
 * generation ends — finished, failed or cancelled.
 */
public final class Generation {
    private final GenerationHandle handle;

    private Generation(GenerationHandle handle) {
        this.handle = handle;
    }

    /**
     * Waits up to {@code queueTimeoutMillis} for a free sequence, then starts generating; events are
     * delivered to {@code listener} on the scheduler's thread.
     *
     * @throws SequencePool.BusyException when no sequence became free in time
     */
    public static Generation start(ServedModel model, GenerationRequest request, long queueTimeoutMillis,
                                   Consumer<GenerationEvent> listener) throws InterruptedException {
        SequencePool pool = model.pool();
        Sequence seq = pool.acquire(request.prompt(), queueTimeoutMillis);
        GenerationHandle handle;
        try {
            handle = model.scheduler().submit(seq, request, listener);
        } catch (RuntimeException e) {
            pool.release(seq);
            throw e;
        }
        handle.result().whenComplete((r, e) -> {
            // Counted before the slot is free, so whoever sees the slot free also sees how its request ended.
            if (r != null) {
                model.recordFinish(r.reason());
            }
            pool.release(seq);
        });
        return new Generation(handle);
    }

    public CompletableFuture<GenerationResult> result() {
        return handle.result();
    }

    /** Ends the generation at its next step (the client went away, or its time ran out). */
    public void cancel() {
        handle.cancel();
    }
}
