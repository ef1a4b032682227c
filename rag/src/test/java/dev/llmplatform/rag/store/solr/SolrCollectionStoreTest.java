package dev.llmplatform.rag.store.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.TestEmbedder;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.SourceDocument;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.ChunkRecord;
import dev.llmplatform.rag.store.CollectionInfo;
import dev.llmplatform.rag.store.CollectionNotFoundException;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.ScoredChunk;
import dev.llmplatform.rag.store.ToyDocuments;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Solr store against a real two-node SolrCloud (Solr's MiniSolrCloudCluster in a child JVM, see
 * {@link SolrTestClusterProcess}), collections of 2 shards × 2 replicas. One cluster serves every test;
 * the node-failure test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCollectionStoreTest {
    private static SolrTestClusterProcess cluster;
    private static SolrCollectionStore store;

    @TempDir
    static Path luceneDir;

    private static final List<SourceDocument> POLICIES = List.of(
            doc("travel", "Travel policy", "Employees book flights through the travel desk. Economy class is the rule"
                    + " for flights under six hours.", Map.of("dept", "finance", "year", 2021)),
            doc("leave", "Annual leave", "Every employee is entitled to thirty days of paid vacation per year."
                    + " Unused vacation days expire in March.", Map.of("dept", "hr", "year", 2023)),
            doc("security", "Password rules", "Passwords must be at least sixteen characters long and are"
                    + " rotated never, unless compromised. Use the company password manager.",
                    Map.of("dept", "it", "year", 2024, "tags", List.of("security", "accounts"))),
            doc("kitchen", "Kitchen etiquette", "Clean your mug after use. The dishwasher runs every evening.",
                    Map.of("dept", "facilities", "year", 2019)));

    private static SourceDocument doc(String id, String title, String text, Map<String, Object> meta) {
        return new SourceDocument(id, title, id + ".md", text, List.of(), meta);
    }

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = SolrTestClusterProcess.start(2);
        store = new SolrCollectionStore(new SolrSettings(cluster.nodeUrls(), null, 2, 2));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (store != null) {
            store.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }



    @Test
    @Order(1)
    void collectionsAreTwoShardsTimesTwoReplicasSpreadOverBothNodes() throws Exception {
        store.create("layout", "toy-model", 4);
        try (CloudSolrClient admin = new CloudHttp2SolrClient.Builder(cluster.nodeUrls()).build()) {
            DocCollection c = admin.getClusterState().getCollection("layout");
            assertThat(c.getSlices()).hasSize(2);
            for (Slice slice : c.getSlices()) {
                assertThat(slice.getReplicas()).hasSize(2);
                // each shard has a copy on each node, so either node alone can answer every query
                assertThat(slice.getReplicas().stream().map(Replica::getNodeName).distinct()).hasSize(2);
            }
        }
        CollectionInfo info = store.describe("layout").orElseThrow();
        assertThat(info.embeddingModel()).isEqualTo("toy-model");
        assertThat(info.dimension()).isEqualTo(4);
        assertThat(info.documents()).isZero();
        assertThat(store.list()).extracting(CollectionInfo::name).contains("layout");
        // the same cluster through ZooKeeper instead of HTTP bootstrap
        try (SolrCollectionStore viaZk = new SolrCollectionStore(new SolrSettings(List.of(), cluster.zkHost(), 2, 2))) {
            assertThat(viaZk.describe("layout")).hasValueSatisfying(i -> assertThat(i.dimension()).isEqualTo(4));
            // deleted through another client (another API node): this one notices instead of failing oddly
            assertThat(store.lexicalSearch("layout", "anything", 3, null)).isEmpty();
            assertThat(viaZk.delete("layout")).isTrue();
            assertThatThrownBy(() -> store.denseSearch("layout", ToyDocuments.unit(1, 0, 0, 0), 3, null))
                    .isInstanceOf(CollectionNotFoundException.class);
            store.create("layout", "toy-model", 4);
        }
        assertThatThrownBy(() -> store.create("layout", "toy-model", 4)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> store.create("../x", "toy-model", 4)).hasMessageContaining("invalid collection name");
        assertThat(store.delete("layout")).isTrue();
        assertThat(store.delete("layout")).isFalse();
        assertThat(store.describe("layout")).isEmpty();
        assertThatThrownBy(() -> store.upsert("layout", List.of(ToyDocuments.doc("a", Map.of(), "x"))))
                .isInstanceOf(CollectionNotFoundException.class);
    }

    @Test
    @Order(2)
    void replaceDeleteListAndCount() {
        store.create("toy", "toy-model", 4);
        try {
            store.upsert("toy", List.of(ToyDocuments.doc("a", Map.of(), "old one", "old two", "old three"),
                    ToyDocuments.doc("b", Map.of(), "beta")));
            assertThat(store.describe("toy").orElseThrow().chunks()).isEqualTo(4);
            store.upsert("toy", List.of(ToyDocuments.doc("a", Map.of(), "new only")));
            CollectionInfo info = store.describe("toy").orElseThrow();
            assertThat(info.documents()).isEqualTo(2);
            assertThat(info.chunks()).isEqualTo(2);
            assertThat(info.bytes()).isPositive();
            List<ScoredChunk> hits = store.lexicalSearch("toy", "old new", 10, null);
            assertThat(hits).extracting(h -> h.chunk().text()).containsExactly("new only");
            assertThat(hits.getFirst().chunk().page()).isEqualTo(1);
            assertThat(hits.getFirst().chunk().vector()).containsExactly(ToyDocuments.unit(1, 0, 0.5f, 0.1f));

            var page = store.listDocuments("toy", 0, 1);
            assertThat(page.total()).isEqualTo(2);
            assertThat(page.documents()).extracting(d -> d.id()).containsExactly("a");
            assertThat(store.listDocuments("toy", 1, 10).documents()).extracting(d -> d.id()).containsExactly("b");

            assertThat(store.deleteDocument("toy", "a")).isTrue();
            assertThat(store.deleteDocument("toy", "a")).isFalse();
            assertThat(store.describe("toy").orElseThrow().chunks()).isEqualTo(1);
            assertThat(store.lexicalSearch("toy", "new", 10, null)).isEmpty();
            assertThatThrownBy(() -> store.upsert("toy", List.of(new IndexedDocument("v", "", "", Map.of(),
                    List.of(new ChunkRecord(0, "x", 0, 1, null, new float[]{1, 0, 0}))))))
                    .hasMessageContaining("3-dimensional");
            // query syntax in free text is text, not syntax
            assertThat(store.lexicalSearch("toy", "beta AND (title:\"x\" OR -*) ~2 ^3 \\", 10, null))
                    .extracting(h -> h.chunk().documentId()).containsExactly("b");
        } finally {
            store.delete("toy");
        }
    }

    @Test
    @Order(3)
    void everyModeMatchesTheEmbeddedLuceneStore() {
        // a store of its own: the service closes its store
        try (RagService solr = new RagService(new SolrCollectionStore(new SolrSettings(cluster.nodeUrls(), null, 2, 2)),
                TestEmbedder.minilm(), ChunkingOptions.DEFAULT);
             RagService lucene = new RagService(new LuceneCollectionStore(luceneDir), TestEmbedder.minilm(),
                     ChunkingOptions.DEFAULT)) {
            solr.createCollection("policies");
            lucene.createCollection("policies");
            solr.ingest("policies", POLICIES, p -> { });
            lucene.ingest("policies", POLICIES, p -> { });
            for (String query : List.of("how many vacation days do I get", "password length", "flight booking class")) {
                for (SearchMode mode : SearchMode.values()) {
                    List<SearchHit> s = solr.search("policies", SearchRequest.of(query, mode, 4));
                    List<SearchHit> l = lucene.search("policies", SearchRequest.of(query, mode, 4));
                    assertThat(s).as(mode + " " + query).extracting(SearchHit::documentId)
                            .containsExactlyElementsOf(l.stream().map(SearchHit::documentId).toList());
                    for (int i = 0; i < s.size(); i++) {
                        // BM25 with collection-wide statistics and the same analysis scores as one index does
                        assertThat(s.get(i).score()).as(mode + " " + query + " #" + i)
                                .isCloseTo(l.get(i).score(), org.assertj.core.data.Offset.offset(1e-3 * Math.max(1, Math.abs(l.get(i).score()))));
                    }
                }
            }
            assertThat(solr.search("policies", SearchRequest.of("how many vacation days do I get", SearchMode.HYBRID, 1)))
                    .extracting(SearchHit::documentId).containsExactly("leave");

            // filters: equality, $in on a list field, ranges, $not, $or
            assertThat(ids(solr, "company rules", Map.of("dept", "hr"))).containsExactly("leave");
            assertThat(ids(solr, "company rules", Map.of("tags", Map.of("$in", List.of("accounts", "x")))))
                    .containsExactly("security");
            assertThat(ids(solr, "company rules", Map.of("year", Map.of("$gte", 2021, "$lt", 2024))))
                    .containsExactlyInAnyOrder("travel", "leave");
            assertThat(ids(solr, "company rules", Map.of("year", 2019))).containsExactly("kitchen");
            assertThat(ids(solr, "company rules", Map.of("$not", Map.of("dept", Map.of("$in", List.of("hr", "it"))))))
                    .containsExactlyInAnyOrder("travel", "kitchen");
            assertThat(ids(solr, "company rules", Map.of("$or", List.of(Map.of("dept", "it"), Map.of("year", Map.of("$lt", 2020))))))
                    .containsExactlyInAnyOrder("security", "kitchen");
            assertThat(ids(solr, "company rules", Map.of("document_id", "travel"))).containsExactly("travel");
            for (Map<String, Object> f : List.<Map<String, Object>>of(Map.of("dept", "hr"),
                    Map.of("year", Map.of("$gt", 2020)), Map.of("$not", Map.of("dept", "it")))) {
                assertThat(ids(solr, "company rules", f)).containsExactlyInAnyOrderElementsOf(ids(lucene, "company rules", f));
            }
            solr.deleteCollection("policies");
        }
    }

    private static List<String> ids(RagService rag, String query, Map<String, Object> filter) {
        List<String> out = new ArrayList<>();
        for (SearchMode mode : SearchMode.values()) {
            List<String> ids = rag.search("policies", SearchRequest.of(query, mode, 10)
                    .withFilter(MetadataFilter.parse(filter))).stream().map(SearchHit::documentId).toList();
            if (mode == SearchMode.DENSE) {
                out.addAll(ids);
            } else {
                // BM25 finds only documents sharing a word; whatever it finds must pass the filter too
                assertThat(out).as(mode + " " + filter).containsAll(ids);
            }
        }
        return out;
    }

    @Test
    @Order(4)
    void aNodeStoppedDuringAQueryLoopFailsNoQuery() throws Exception {
        store.create("failover", "toy-model", 4);
        List<IndexedDocument> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add(ToyDocuments.doc("d" + i, Map.of("n", i), "chunk text " + i + " alpha", "second chunk " + i + " beta"));
        }
        store.upsert("failover", docs);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger queries = new AtomicInteger();
        AtomicInteger afterStop = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                loops.add(pool.submit(() -> {
                    while (running.get()) {
                        try {
                            List<ScoredChunk> dense = store.denseSearch("failover", ToyDocuments.unit(1, 0.3f, 0.5f, 0.1f), 5, null);
                            List<ScoredChunk> bm25 = store.lexicalSearch("failover", "alpha", 100, null);
                            // every shard must answer: a missing shard would show as missing documents
                            assertThat(dense).hasSize(5);
                            assertThat(bm25).hasSize(40);
                            queries.incrementAndGet();
                            if (stopped.get()) {
                                afterStop.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                            return;
                        }
                    }
                }));
            }
            while (queries.get() < 10 && failure.get() == null) {
                Thread.sleep(50);
            }
            cluster.stopNode(1);
            stopped.set(true);
            // Generous: on a loaded machine queries stalled for tens of seconds after the stop once (cause not
            // found; none failed). The wait ends as soon as the surviving node has answered 50 queries.
            long stoppedAt = System.nanoTime();
            long until = stoppedAt + TimeUnit.SECONDS.toNanos(180);
            while (afterStop.get() < 50 && System.nanoTime() < until && failure.get() == null) {
                Thread.sleep(100);
            }
            System.out.printf("%d queries answered in %.1f s after node 1 stopped%n", afterStop.get(),
                    (System.nanoTime() - stoppedAt) / 1e9);
            running.set(false);
            for (Future<?> f : loops) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        assertThat(failure.get()).as("a query failed while a node was down").isNull();
        assertThat(afterStop.get()).as("queries answered by the surviving node").isGreaterThanOrEqualTo(50);
        // writes keep working on the surviving replicas, and the stopped node catches up when it returns
        store.upsert("failover", List.of(ToyDocuments.doc("late", Map.of(), "gamma")));
        cluster.startNode(1);
        assertThat(store.lexicalSearch("failover", "gamma", 5, null)).extracting(h -> h.chunk().documentId())
                .containsExactly("late");
        Set<String> seen = new HashSet<>();
        store.listDocuments("failover", 0, 100).documents().forEach(d -> seen.add(d.id()));
        assertThat(seen).hasSize(41);
        store.delete("failover");
    }
}
