package dev.llmplatform.rag.store;

import java.time.Instant;

/** What a collection was created with: the part of {@link CollectionInfo} that does not change with its data. */
public record CollectionMetadata(String name, String embeddingModel, int dimension, Instant createdAt) {
}
