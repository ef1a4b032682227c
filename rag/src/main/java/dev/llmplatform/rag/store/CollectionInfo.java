package dev.llmplatform.rag.store;

import java.time.Instant;

/**
 * What a collection holds.
 *
 * @param bytes the index's size on disk
 */
public record CollectionInfo(String name, String embeddingModel, int dimension, long documents, long chunks,
                             long bytes, Instant createdAt) {
}
