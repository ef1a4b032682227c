package dev.llmplatform.rag.store.solr;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.rag.Embedder;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.TestEmbedder;
import dev.llmplatform.rag.eval.BeirDataset;
import dev.llmplatform.rag.eval.RetrievalEvaluation;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.DocumentPage;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.ScoredChunk;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SciFact (BEIR, train split) through the SolrCloud store (2 nodes, 2 shards × 2 replicas) and through the
 * embedded Lucene store, same chunks and vectors: nDCG@10 and recall@100 of each mode for both. Not a
 * test (named *Benchmark, so Surefire skips it unless asked). The corpus is embedded once and written to
 * both stores (embedding does not depend on the store and is by far the slowest step on a small machine).
 *
 * <pre>
 * nice -n 10 ./mvnw -q -B -pl rag -am verify -Dtest=SolrScifactBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dllmp.bench.queries=N -Dllmp.bench.extra-docs=M]   # a subset: N judged queries, their documents + M others
 * </pre>
 */
class SolrScifactBenchmark {
    @TempDir
    Path dir;

    @Test
    void solrMatchesLuceneOnSciFact() throws Exception {
        Path s = SharedTestData.require("scifact");
        BeirDataset data = BeirDataset.load(s.resolve("corpus.jsonl"), s.resolve("queries-train.jsonl"),
                s.resolve("qrels/train.tsv"));
        Integer queries = Integer.getInteger("llmp.bench.queries");
        if (queries != null) {
            data = data.slice(queries, Integer.getInteger("llmp.bench.extra-docs", 1000));
        }
        System.out.printf(Locale.ROOT, "corpus: %d documents, %d judged queries%n", data.corpus().size(), data.queries().size());
        Embedder embedder = TestEmbedder.minilm();
        ChunkingOptions chunking = new ChunkingOptions(256, 0);
        try (SolrTestClusterProcess cluster = SolrTestClusterProcess.start(2);
             SolrCollectionStore solr = new SolrCollectionStore(new SolrSettings(cluster.nodeUrls(), null, 2, 2));
             LuceneCollectionStore lucene = new LuceneCollectionStore(dir)) {
            solr.create("scifact", embedder.modelName(), embedder.dimensions());
            lucene.create("scifact", embedder.modelName(), embedder.dimensions());
            // RagService.close() closes the embedder too: these services share one and are left open
            RagService both = new RagService(new Both(lucene, solr), embedder, chunking);
            IngestProgress p = both.ingest("scifact", data.corpus(), x -> { });
            System.out.printf(Locale.ROOT, "ingest: %d documents, %d chunks in %.1f s (embedding %.0f%%)%n",
                    p.doneDocuments(), p.chunks(), p.elapsedNanos() / 1e9, 100 * p.embeddingShare());
            for (var store : List.<CollectionStore>of(lucene, solr)) {
                RagService rag = new RagService(new Both(store, null), embedder, chunking);
                var results = RetrievalEvaluation.evaluate(rag, "scifact", data, List.of(SearchMode.values()),
                        SearchRequest.Fusion.DEFAULT);
                String name = store == solr ? "solr" : "lucene";
                results.forEach((mode, r) -> System.out.printf(Locale.ROOT,
                        "%-6s %-6s nDCG@10 %.4f  recall@100 %.4f  (%d queries; p50 %.1f ms, p95 %.1f ms)%n",
                        name, mode.label(), r.ndcg10(), r.recall100(), r.queries(), r.p50Millis(), r.p95Millis()));
            }
            solr.delete("scifact");
        }
    }

    /** Writes go to both stores (one embedding pass for two indexes); reads come from the first. Closes neither. */
    private record Both(CollectionStore first, CollectionStore second) implements CollectionStore {
        @Override
        public CollectionInfo create(String name, String embeddingModel, int dimension) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<CollectionInfo> list() {
            return first.list();
        }

        @Override
        public Optional<CollectionInfo> describe(String name) {
            return first.describe(name);
        }

        @Override
        public boolean delete(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void upsert(String collection, List<IndexedDocument> documents) {
            first.upsert(collection, documents);
            if (second != null) {
                second.upsert(collection, documents);
            }
        }

        @Override
        public boolean deleteDocument(String collection, String documentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DocumentPage listDocuments(String collection, int offset, int limit) {
            return first.listDocuments(collection, offset, limit);
        }

        @Override
        public List<ScoredChunk> denseSearch(String collection, float[] vector, int k, MetadataFilter filter) {
            return first.denseSearch(collection, vector, k, filter);
        }

        @Override
        public List<ScoredChunk> lexicalSearch(String collection, String query, int k, MetadataFilter filter) {
            return first.lexicalSearch(collection, query, k, filter);
        }

        @Override
        public void close() {
        }
    }
}
