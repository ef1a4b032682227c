package dev.llmplatform.api.cli;

import dev.llmplatform.rag.EncoderEmbedder;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.eval.BeirDataset;
import dev.llmplatform.rag.eval.RetrievalEvaluation;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.CollectionStore;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import dev.llmplatform.rag.store.solr.SolrCollectionStore;
import dev.llmplatform.rag.store.solr.SolrSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code llmp eval-retrieval}: nDCG@10 and recall@100 of each search mode on a BEIR-format set. */
@Command(name = "eval-retrieval", mixinStandardHelpOptions = true,
        description = {"Ingest a BEIR-format corpus into a temporary collection and score each search mode on its queries.",
                "With --json the last line is {\"MODE\": {\"ndcg@10\", \"recall@100\", \"queries\", ...}} for the modes asked for."})
public final class EvalRetrievalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "corpus.jsonl")
    Path corpus;

    @Option(names = "--queries", required = true, paramLabel = "queries.jsonl")
    Path queries;

    @Option(names = "--qrels", required = true, paramLabel = "qrels.tsv")
    Path qrels;

    @Option(names = "--mode", defaultValue = "all", description = "dense, bm25, hybrid or all (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--json", description = "End with one JSON line of results.")
    boolean json;

    @Option(names = "--max-queries", paramLabel = "N", description = "Evaluate only the first N judged queries (and"
            + " ingest only the documents they judge plus --extra-docs others).")
    Integer maxQueries;

    @Option(names = "--extra-docs", defaultValue = "1000", paramLabel = "N", description = "With --max-queries: unjudged"
            + " documents kept as distractors (default: ${DEFAULT-VALUE}).")
    int extraDocs;

    @Option(names = "--chunk-tokens", defaultValue = "200", description = "Chunk size in the encoder's tokens (default: ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--chunk-overlap", defaultValue = "40", description = "(default: ${DEFAULT-VALUE})")
    int chunkOverlap;

    @Option(names = "--rrf-k", defaultValue = "60", description = "Reciprocal rank fusion constant (default: ${DEFAULT-VALUE}).")
    int rrfK;

    @Option(names = "--dense-weight", defaultValue = "1.0", description = "Hybrid weight of the dense list (default: ${DEFAULT-VALUE}).")
    double denseWeight;

    @Option(names = "--bm25-weight", defaultValue = "1.0", description = "Hybrid weight of the BM25 list (default: ${DEFAULT-VALUE}).")
    double bm25Weight;

    @Option(names = "--store", defaultValue = "lucene", description = "lucene (a temporary directory) or solr"
            + " (a temporary collection on --solr-urls) (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--solr-urls", paramLabel = "URL[,URL...]", description = "With --store solr: Solr base URLs.")
    String solrUrls;

    @Option(names = "--solr-shards", defaultValue = "2", description = "With --store solr (default: ${DEFAULT-VALUE}).")
    int solrShards;

    @Option(names = "--solr-replicas", defaultValue = "1", description = "With --store solr (default: ${DEFAULT-VALUE}).")
    int solrReplicas;

    @Override
    public Integer call() throws IOException {
        CliFiles.requireFile(corpus, "--corpus");
        CliFiles.requireFile(queries, "--queries");
        CliFiles.requireFile(qrels, "--qrels");
        String storeKind = store.toLowerCase(Locale.ROOT);
        if (!storeKind.equals("lucene") && !storeKind.equals("solr")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--store must be lucene or solr, got '" + store + "'");
        }
        if (storeKind.equals("solr") && (solrUrls == null || solrUrls.isBlank())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--store solr needs --solr-urls");
        }
        List<SearchMode> modes = mode.equalsIgnoreCase("all") ? List.of(SearchMode.values()) : List.of(SearchMode.parse(mode));
        BeirDataset data = BeirDataset.load(corpus, queries, qrels);
        if (maxQueries != null) {
            data = data.slice(maxQueries, extraDocs);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.println("corpus: " + data.corpus().size() + " documents, " + data.queries().size() + " judged queries");
        out.flush();
        Path dir = Files.createTempDirectory("llmp-eval-");
        CollectionStore collections = storeKind.equals("solr")
                ? new SolrCollectionStore(new SolrSettings(SolrSettings.splitUrls(solrUrls), null, solrShards, solrReplicas))
                : new LuceneCollectionStore(dir);
        // a name of its own, so a shared Solr cluster's collections are never touched
        String collection = "eval-" + Long.toHexString(System.nanoTime());
        try (RagService rag = new RagService(collections, EncoderEmbedder.loadDefault(),
                new ChunkingOptions(chunkTokens, chunkOverlap))) {
            rag.createCollection(collection);
            try {
                evaluate(rag, collection, data, modes, out, err);
            } finally {
                rag.deleteCollection(collection);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    private void evaluate(RagService rag, String collection, BeirDataset data, List<SearchMode> modes, PrintWriter out,
                          PrintWriter err) {
        IngestProgress ingest = rag.ingest(collection, data.corpus(), RagCli.progress(spec.commandLine().getOut(), err));
        out.println(String.format(Locale.ROOT, "ingest: %d documents, %d chunks in %.1f s: %.1f chunks/s, embedding %.0f%% of the time",
                ingest.doneDocuments(), ingest.chunks(), ingest.elapsedNanos() / 1e9, ingest.chunksPerSecond(),
                100 * ingest.embeddingShare()));
        out.flush();
        SearchRequest.Fusion fusion = new SearchRequest.Fusion(rrfK, denseWeight, bm25Weight, 100);
        Map<SearchMode, RetrievalEvaluation.ModeResult> results = RetrievalEvaluation.evaluate(rag, collection, data, modes, fusion);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            RetrievalEvaluation.ModeResult r = e.getValue();
            out.println(String.format(Locale.ROOT, "%-6s nDCG@10 %.4f  recall@100 %.4f  (%d queries; latency p50 %.1f ms, p95 %.1f ms)",
                    e.getKey().label(), r.ndcg10(), r.recall100(), r.queries(), r.p50Millis(), r.p95Millis()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ndcg@10", round(r.ndcg10()));
            m.put("recall@100", round(r.recall100()));
            m.put("queries", r.queries());
            m.put("p50_ms", round(r.p50Millis()));
            m.put("p95_ms", round(r.p95Millis()));
            summary.put(e.getKey().label(), m);
        }
        if (json) {
            out.println(JsonMapper.builder().build().writeValueAsString(summary));
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
