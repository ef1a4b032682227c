package dev.llmplatform.rag.ingest;

import dev.llmplatform.rag.Chunk;
import dev.llmplatform.rag.Chunker;
import dev.llmplatform.rag.Embedder;
import dev.llmplatform.rag.store.ChunkRecord;
import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.IndexedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Documents → chunks → embeddings → store, in batches: each batch of documents is embedded together
 * (the encoder packs many chunks per forward pass) and stored with one durable commit, after which its
 * documents are acknowledged through the progress callback.
 */
public final class Ingestor {
    /** Chunks per stored batch: large enough to keep the encoder busy, small enough for steady progress. */
    private static final int CHUNKS_PER_BATCH = 256;

    private final CollectionStore store;
    private final Embedder embedder;
    private final ChunkingOptions chunking;

    public Ingestor(CollectionStore store, Embedder embedder, ChunkingOptions chunking) {
        this.store = store;
        this.embedder = embedder;
        this.chunking = chunking;
    }

    /**
     * Ingests the documents in order; returns the final progress. {@code onBatch} receives the progress
     * after each durable batch (the documents counted as done are stored and will survive a crash).
     *
     * @throws IllegalArgumentException when the collection was built with another embedding model
     */
    public IngestProgress ingest(String collection, List<SourceDocument> documents, Consumer<IngestProgress> onBatch) {
        checkCompatible(collection);
        long t0 = System.nanoTime();
        long embedNanos = 0;
        long chunkCount = 0;
        int done = 0;
        IngestProgress progress = new IngestProgress(documents.size(), 0, 0, 0, 0);
        int i = 0;
        while (i < documents.size()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("ingest interrupted after " + done + " documents");
            }
            List<SourceDocument> batch = new ArrayList<>();
            List<List<Chunk>> batchChunks = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            while (i < documents.size() && (batch.isEmpty() || texts.size() < CHUNKS_PER_BATCH)) {
                SourceDocument doc = documents.get(i++);
                List<Chunk> chunks = chunk(doc);
                if (chunks.isEmpty()) {
                    throw new IngestException("document '" + doc.id() + "' contains no text");
                }
                batch.add(doc);
                batchChunks.add(chunks);
                for (Chunk c : chunks) {
                    texts.add(embeddingInput(doc.title(), c.text()));
                }
            }
            long e0 = System.nanoTime();
            List<float[]> vectors = embedder.embed(texts);
            embedNanos += System.nanoTime() - e0;
            List<IndexedDocument> indexed = new ArrayList<>(batch.size());
            int v = 0;
            for (int d = 0; d < batch.size(); d++) {
                SourceDocument doc = batch.get(d);
                List<ChunkRecord> records = new ArrayList<>();
                for (Chunk c : batchChunks.get(d)) {
                    records.add(new ChunkRecord(c.index(), c.text(), c.start(), c.end(), doc.pageAt(c.start()), vectors.get(v++)));
                }
                indexed.add(new IndexedDocument(doc.id(), doc.title(), doc.source(), doc.metadata(), records));
            }
            store.upsert(collection, indexed);
            done += batch.size();
            chunkCount += texts.size();
            progress = new IngestProgress(documents.size(), done, chunkCount, System.nanoTime() - t0, embedNanos);
            onBatch.accept(progress);
        }
        return progress;
    }

    /** The document's chunks, sized so that title + chunk fit the embedding model's input. */
    public List<Chunk> chunk(SourceDocument doc) {
        int room = embedder.maxTokens() - 2 - (doc.title().isBlank() ? 0 : embedder.countTokens(doc.title()));
        int size = Math.max(32, Math.min(chunking.chunkTokens(), room));
        int overlap = Math.min(chunking.overlapTokens(), size / 2 - 1);
        return new Chunker(size, overlap, embedder::countTokens).split(doc.id(), doc.text());
    }

    /**
     * What is embedded for a chunk: its document's title, then the chunk. Titles carry the topic that a
     * chunk deep in a document often never names (and BEIR's dense baselines embed title + text alike).
     */
    public static String embeddingInput(String title, String text) {
        return title == null || title.isBlank() ? text : title + "\n\n" + text;
    }

    private void checkCompatible(String collection) {
        CollectionInfo info = store.describe(collection).orElseThrow(() -> new CollectionNotFoundException(collection));
        if (!info.embeddingModel().equals(embedder.modelName()) || info.dimension() != embedder.dimensions()) {
            throw new IllegalArgumentException("collection '" + collection + "' holds " + info.dimension()
                    + "-dimensional vectors of " + info.embeddingModel() + "; this platform embeds with "
                    + embedder.modelName() + " (" + embedder.dimensions() + " dimensions)");
        }
    }
}
