package dev.llmplatform.rag.ingest;

/**
 * Input that cannot be ingested: an unknown format, an empty or corrupt file, a record without text.
 * The message is written for the person who sent the input; nothing was stored when it is thrown.
 */
public class IngestException extends RuntimeException {
    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
