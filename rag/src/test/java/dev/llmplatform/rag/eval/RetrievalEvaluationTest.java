package dev.llmplatform.rag.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.TestEmbedder;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalEvaluationTest {
    @TempDir
    Path dir;

    @Test
    void metricsMatchHandComputedValues() {
        Map<String, Integer> relevant = Map.of("a", 1, "b", 1);
        // relevant at ranks 1 and 3: DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3)
        double expected = 1.5 / (1 + 1 / (Math.log(3) / Math.log(2)));
        assertThat(RetrievalEvaluation.ndcgAt(List.of("a", "x", "b"), relevant, 10)).isCloseTo(expected, within(1e-12));
        assertThat(RetrievalEvaluation.ndcgAt(List.of("x", "y"), relevant, 10)).isZero();
        assertThat(RetrievalEvaluation.ndcgAt(List.of("b", "a"), relevant, 10)).isEqualTo(1.0);
        assertThat(RetrievalEvaluation.recallAt(List.of("a", "x", "b"), relevant, 2)).isEqualTo(0.5);
        assertThat(RetrievalEvaluation.percentile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2);
        assertThat(RetrievalEvaluation.percentile(new double[] {1, 2, 3, 4}, 0.95)).isEqualTo(4);
    }

    /** A slice of SciFact (the full run is {@code llmp eval-retrieval}, a benchmark): every mode must retrieve well. */
    @Test
    void sciFactSlice() throws Exception {
        Path scifact = SharedTestData.require("scifact/corpus.jsonl").getParent();
        BeirDataset data = BeirDataset.load(scifact.resolve("corpus.jsonl"), scifact.resolve("queries-train.jsonl"),
                scifact.resolve("qrels/train.tsv")).slice(15, 60);
        assertThat(data.queries()).hasSize(15);
        try (RagService rag = new RagService(new LuceneCollectionStore(dir), TestEmbedder.minilm(), new ChunkingOptions(256, 0))) {
            rag.createCollection("scifact");
            rag.ingest("scifact", data.corpus(), p -> { });
            Map<SearchMode, RetrievalEvaluation.ModeResult> r = RetrievalEvaluation.evaluate(rag, "scifact", data,
                    List.of(SearchMode.values()), SearchRequest.Fusion.DEFAULT);
            for (SearchMode mode : SearchMode.values()) {
                assertThat(r.get(mode).queries()).isEqualTo(15);
                assertThat(r.get(mode).ndcg10()).as(mode.label()).isGreaterThan(0.6);
                assertThat(r.get(mode).recall100()).as(mode.label()).isGreaterThan(0.9);
            }
            // fusion must not fall below the weaker of its two inputs
            assertThat(r.get(SearchMode.HYBRID).ndcg10())
                    .isGreaterThanOrEqualTo(Math.min(r.get(SearchMode.DENSE).ndcg10(), r.get(SearchMode.BM25).ndcg10()));
        }
    }
}
