package dev.llmplatform.rag.store;

import java.util.List;
import java.util.Optional;

/**
 * The record of which collections exist and what they were made with: the metadata a collection store
 * keeps apart from its index data. The server keeps it in its state database; {@link
 * dev.llmplatform.rag.store.lucene.ManifestFileCatalog} keeps it in files for offline tools and tests.
 * Implementations are thread-safe.
 */
public interface CollectionCatalog {
    /**
     * Records a new collection.
     *
     * @throws IllegalArgumentException when a collection of that name is already recorded
     */
    void add(CollectionMetadata collection);

    Optional<CollectionMetadata> find(String name);

    /** Every recorded collection, by name. */
    List<CollectionMetadata> list();

    /** Forgets a collection; false when none of that name was recorded. */
    boolean remove(String name);
}
