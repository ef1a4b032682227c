package dev.llmplatform.rag.store;

import java.util.List;
import java.util.Optional;

/**
 * Where collections live: the one interface retrieval, ingestion and the API use, so another backend (a
 * distributed search cluster) can replace the embedded Lucene one without touching them.
 *
 * <p>Contract every backend keeps: {@link #upsert} is atomic per document and durable when it returns
 * (a crash afterwards loses nothing acknowledged); searches see every upsert that returned before they
 * started; searches and upserts may run concurrently from many threads. Methods taking a collection name
 * throw {@link CollectionNotFoundException} when it does not exist.
 */
public interface CollectionStore extends AutoCloseable {
    /**
     * Creates an empty collection that accepts {@code dimension}-dimensional vectors of {@code embeddingModel}.
     *
     * @throws IllegalArgumentException for an invalid name or a name already in use
     */
    CollectionInfo create(String name, String embeddingModel, int dimension);

    List<CollectionInfo> list();

    Optional<CollectionInfo> describe(String name);

    /** Deletes the collection and its data; false if there was none. */
    boolean delete(String name);

    /**
     * Stores the documents, each replacing any earlier version with its id.
     *
     * @throws IllegalArgumentException when a vector's dimension differs from the collection's
     */
    void upsert(String collection, List<IndexedDocument> documents);

    /** Removes a document's chunks; false if there was no such document. Durable when it returns. */
    boolean deleteDocument(String collection, String documentId);

    DocumentPage listDocuments(String collection, int offset, int limit);

    /** The {@code k} chunks nearest to a unit-length vector that pass the filter (null: all), best first. */
    List<ScoredChunk> denseSearch(String collection, float[] vector, int k, MetadataFilter filter);

    /** The {@code k} best BM25 matches for a free-text query that pass the filter (null: all), best first. */
    List<ScoredChunk> lexicalSearch(String collection, String query, int k, MetadataFilter filter);

    @Override
    void close();
}
