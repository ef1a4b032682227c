package dev.llmplatform.rag.ingest;

import java.time.Instant;

/**
 * A background ingest's state as clients see it.
 *
 * @param state    {@code queued}, {@code running}, {@code succeeded} or {@code failed}
 * @param error    why it failed, else null
 * @param progress documents done so far (every one counted is durably stored)
 */
public record IngestJob(String id, String collection, String state, IngestProgress progress, String error,
                        Instant createdAt, Instant finishedAt) {
    public boolean finished() {
        return state.equals("succeeded") || state.equals("failed");
    }
}
