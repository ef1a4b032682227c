package dev.llmplatform.rag;

import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.IngestJob;
import dev.llmplatform.rag.ingest.IngestJobs;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.ingest.Ingestor;
import dev.llmplatform.rag.ingest.SourceDocument;
import dev.llmplatform.rag.retrieval.Retriever;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.DocumentPage;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The RAG module's front door: collections, ingestion (now or as a background job), retrieval. Owns the
 * store and the ingest worker; {@link #close()} releases both.
 */
public final class RagService implements AutoCloseable {
    private final CollectionStore store;
    private final Embedder embedder;
    private final Ingestor ingestor;
    private final Retriever retriever;
    private final IngestJobs jobs;

    public RagService(CollectionStore store, Embedder embedder, ChunkingOptions chunking) {
        this.store = store;
        this.embedder = embedder;
        this.ingestor = new Ingestor(store, embedder, chunking);
        this.retriever = new Retriever(store, embedder);
        this.jobs = new IngestJobs(ingestor);
    }

    public CollectionStore store() {
        return store;
    }

    public Embedder embedder() {
        return embedder;
    }

    /** Creates a collection for this service's embedding model. */
    public CollectionInfo createCollection(String name) {
        return store.create(name, embedder.modelName(), embedder.dimensions());
    }

    public List<CollectionInfo> collections() {
        return store.list();
    }

    public Optional<CollectionInfo> describe(String name) {
        return store.describe(name);
    }

    public boolean deleteCollection(String name) {
        return store.delete(name);
    }

    /** Ingests on the caller's thread; {@code onBatch} hears each durable batch. */
    public IngestProgress ingest(String collection, List<SourceDocument> documents, Consumer<IngestProgress> onBatch) {
        return ingestor.ingest(collection, documents, onBatch);
    }

    /** Queues an ingest in the background; poll it with {@link #job(String)}. */
    public IngestJob submitIngest(String collection, List<SourceDocument> documents) {
        return jobs.submit(collection, documents);
    }

    /** Like {@link #submitIngest(String, List)}, telling {@code onBatch} the progress after each stored batch. */
    public IngestJob submitIngest(String collection, List<SourceDocument> documents, Consumer<IngestProgress> onBatch) {
        return jobs.submit(collection, documents, onBatch);
    }

    public Optional<IngestJob> job(String id) {
        return jobs.get(id);
    }

    public List<SearchHit> search(String collection, SearchRequest request) {
        return retriever.search(collection, request);
    }

    public Retriever retriever() {
        return retriever;
    }

    public Ingestor ingestor() {
        return ingestor;
    }

    public DocumentPage documents(String collection, int offset, int limit) {
        return store.listDocuments(collection, offset, limit);
    }

    public boolean deleteDocument(String collection, String documentId) {
        return store.deleteDocument(collection, documentId);
    }

    @Override
    public void close() {
        try {
            jobs.close();
        } finally {
            try {
                store.close();
            } finally {
                if (embedder instanceof AutoCloseable owned) {
                    try {
                        owned.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("closing the embedder failed: " + e.getMessage(), e);
                    }
                }
            }
        }
    }
}
