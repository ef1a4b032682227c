package dev.llmplatform.rag.ingest;

/**
 * How far an ingest has come.
 *
 * @param embedNanos time spent embedding, of {@code elapsedNanos} in all
 */
public record IngestProgress(int totalDocuments, int doneDocuments, long chunks, long elapsedNanos, long embedNanos) {
    public double documentsPerSecond() {
        return elapsedNanos == 0 ? 0 : doneDocuments / (elapsedNanos / 1e9);
    }

    public double chunksPerSecond() {
        return elapsedNanos == 0 ? 0 : chunks / (elapsedNanos / 1e9);
    }

    /** Fraction of the elapsed time spent computing embeddings. */
    public double embeddingShare() {
        return elapsedNanos == 0 ? 0 : (double) embedNanos / elapsedNanos;
    }

    /** Seconds left at the rate so far, or -1 before anything is done. */
    public double etaSeconds() {
        if (doneDocuments == 0) {
            return -1;
        }
        return (totalDocuments - doneDocuments) / documentsPerSecond();
    }

    public double fraction() {
        return totalDocuments == 0 ? 1 : (double) doneDocuments / totalDocuments;
    }
}
