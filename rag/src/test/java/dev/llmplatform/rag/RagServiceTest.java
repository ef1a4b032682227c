package dev.llmplatform.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.DocumentParser;
import dev.llmplatform.rag.ingest.IngestJob;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.ingest.SourceDocument;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.MetadataFilter;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion and retrieval end to end with the real MiniLM encoder and Lucene on disk. */
class RagServiceTest {
    @TempDir
    Path dir;
    private RagService rag;

    private static final List<SourceDocument> POLICIES = List.of(
            doc("travel", "Travel policy", "Employees book flights through the travel desk. Economy class is the rule"
                    + " for flights under six hours.", Map.of("dept", "finance")),
            doc("leave", "Annual leave", "Every employee is entitled to thirty days of paid vacation per year."
                    + " Unused vacation days expire in March.", Map.of("dept", "hr")),
            doc("security", "Password rules", "Passwords must be at least sixteen characters long and are"
                    + " rotated never, unless compromised. Use the company password manager.", Map.of("dept", "it")),
            doc("kitchen", "Kitchen etiquette", "Clean your mug after use. The dishwasher runs every evening.",
                    Map.of("dept", "facilities")));

    private static SourceDocument doc(String id, String title, String text, Map<String, Object> meta) {
        return new SourceDocument(id, title, id + ".md", text, List.of(), meta);
    }

    @BeforeEach
    void open() {
        rag = new RagService(new LuceneCollectionStore(dir), TestEmbedder.minilm(), ChunkingOptions.DEFAULT);
        rag.createCollection("policies");
        rag.ingest("policies", POLICIES, p -> { });
    }

    @AfterEach
    void close() {
        rag.close();
    }

    @Test
    void eachModeFindsTheDocumentThatAnswers() {
        for (SearchMode mode : SearchMode.values()) {
            List<SearchHit> hits = rag.search("policies", SearchRequest.of("how many vacation days do I get", mode, 2));
            assertThat(hits).as(mode.label()).isNotEmpty();
            assertThat(hits.getFirst().documentId()).as(mode.label()).isEqualTo("leave");
            assertThat(hits.getFirst().title()).isEqualTo("Annual leave");
            assertThat(hits.getFirst().source()).isEqualTo("leave.md");
        }
        // dense finds it without sharing a word with the text ("holiday" vs "vacation")
        assertThat(rag.search("policies", SearchRequest.of("holiday allowance", SearchMode.DENSE, 1)).getFirst().documentId())
                .isEqualTo("leave");
    }

    @Test
    void filtersMinScoreAndMmr() {
        SearchRequest q = SearchRequest.of("company rules", SearchMode.HYBRID, 4)
                .withFilter(MetadataFilter.parse(Map.of("dept", Map.of("$in", List.of("it", "hr")))));
        assertThat(rag.search("policies", q)).extracting(SearchHit::documentId).containsExactlyInAnyOrder("security", "leave");
        SearchRequest strict = new SearchRequest("password length", SearchMode.DENSE, 4, null, 0.4, null, false, null);
        assertThat(rag.search("policies", strict)).extracting(SearchHit::documentId).containsExactly("security");
        List<SearchHit> mmr = rag.search("policies", SearchRequest.of("password", SearchMode.DENSE, 3).withMmr(0.5));
        assertThat(mmr).hasSize(3);
        assertThat(mmr.getFirst().documentId()).isEqualTo("security");
    }

    @Test
    void aCollectionOfAnotherModelIsRefused() {
        rag.store().create("foreign", "some-other-model", 768);
        assertThatThrownBy(() -> rag.ingest("foreign", POLICIES, p -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("768-dimensional vectors of some-other-model");
    }

    @Test
    void pdfChunksCarryTheirPageNumbers() throws Exception {
        Path pdf = SharedTestData.require("documents/shared-mime-info-spec.pdf");
        List<SourceDocument> docs = new DocumentParser().parse("shared-mime-info-spec.pdf", null, Files.readAllBytes(pdf), "mime");
        rag.createCollection("specs");
        IngestProgress done = rag.ingest("specs", docs, p -> { });
        assertThat(done.chunks()).isGreaterThan(10);
        SearchHit hit = rag.search("specs", SearchRequest.of("How are glob patterns weighted against magic rules?",
                SearchMode.HYBRID, 3)).getFirst();
        assertThat(hit.documentId()).isEqualTo("mime");
        assertThat(hit.page()).isNotNull();
        String pageText = docs.getFirst().text().substring(docs.getFirst().pageStarts().get(hit.page() - 1));
        assertThat(pageText).contains(hit.text().substring(0, Math.min(40, hit.text().length())));
        assertThat(docs.getFirst().text().substring(hit.start(), hit.end())).isEqualTo(hit.text());
    }

    @Test
    void backgroundJobReportsProgressToCompletion() throws Exception {
        rag.createCollection("jobs");
        List<SourceDocument> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(doc("n" + i, "Note " + i, "Note number " + i + " says the meeting room " + i + " is booked.", Map.of()));
        }
        IngestJob job = rag.submitIngest("jobs", many);
        assertThat(job.state()).isIn("queued", "running");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        IngestJob now = job;
        while (!now.finished() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = rag.job(job.id()).orElseThrow();
        }
        assertThat(now.state()).isEqualTo("succeeded");
        assertThat(now.progress().doneDocuments()).isEqualTo(40);
        assertThat(now.progress().chunks()).isEqualTo(40);
        assertThat(rag.describe("jobs").orElseThrow().documents()).isEqualTo(40);
        IngestJob failing = rag.submitIngest("no-such-collection", many);
        while (!failing.finished()) {
            Thread.sleep(20);
            failing = rag.job(failing.id()).orElseThrow();
        }
        assertThat(failing.state()).isEqualTo("failed");
        assertThat(failing.error()).contains("does not exist");
    }

    @Test
    void searchesRunWhileAnIngestWrites() throws Exception {
        rag.createCollection("busy");
        rag.ingest("busy", POLICIES, p -> { });
        List<SourceDocument> more = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            more.add(doc("m" + i, "Memo " + i, "Memo " + i + ": the printer on floor " + i + " needs toner.", Map.of()));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger searches = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                futures.add(readers.submit(() -> {
                    long lastCount = 0;
                    while (writing.get()) {
                        // the original documents are always found, and the count only grows
                        List<SearchHit> hits = rag.search("busy", SearchRequest.of("vacation days", SearchMode.BM25, 1));
                        assertThat(hits.getFirst().documentId()).isEqualTo("leave");
                        long count = rag.describe("busy").orElseThrow().documents();
                        assertThat(count).isGreaterThanOrEqualTo(lastCount);
                        lastCount = count;
                        searches.incrementAndGet();
                    }
                    return null;
                }));
            }
            List<Integer> acknowledged = new ArrayList<>();
            for (int i = 0; i < more.size(); i += 10) {
                rag.ingest("busy", more.subList(i, i + 10), p -> { });
                acknowledged.add(i + 10);
                // a write that returned is visible to the next search
                assertThat(rag.describe("busy").orElseThrow().documents()).isEqualTo(4 + i + 10);
            }
            writing.set(false);
            for (Future<?> f : futures) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            writing.set(false);
            readers.shutdownNow();
        }
        assertThat(searches.get()).isPositive();
        assertThat(rag.search("busy", SearchRequest.of("printer toner floor 42", SearchMode.BM25, 1)).getFirst().documentId())
                .isEqualTo("m42");
    }

    @Test
    void groundedPromptCitesTheDocumentsThatHoldThePassages() {
        List<SearchHit> hits = rag.search("policies", SearchRequest.of("vacation days and booking flights", SearchMode.HYBRID, 3));
        Embedder counter = TestEmbedder.minilm();
        var prompt = new dev.llmplatform.rag.prompt.GroundedPromptBuilder().build(
                List.of(new dev.llmplatform.rag.prompt.ChatMessage("user", "How much vacation do I get, and how do I book a flight?")),
                hits, 400, counter::countTokens);
        assertThat(prompt.citations()).hasSize(3);
        assertThat(prompt.contextTokens()).isLessThanOrEqualTo(400);
        for (var c : prompt.citations()) {
            SourceDocument source = POLICIES.stream().filter(d -> d.id().equals(c.documentId())).findFirst().orElseThrow();
            assertThat(source.text()).contains(c.text());
            assertThat(c.title()).isEqualTo(source.title());
            assertThat(prompt.messages().getFirst().content()).contains("[" + c.index() + "] " + c.title() + " — " + c.text());
        }
        assertThat(prompt.citations()).extracting(dev.llmplatform.rag.prompt.Citation::documentId).contains("leave", "travel");
    }
}
