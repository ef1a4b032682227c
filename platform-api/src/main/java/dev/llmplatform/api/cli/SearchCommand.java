package dev.llmplatform.api.cli;

import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.retrieval.SearchHit;
import dev.llmplatform.rag.retrieval.SearchMode;
import dev.llmplatform.rag.retrieval.SearchRequest;
import dev.llmplatform.rag.store.MetadataFilter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** {@code llmp search}: query a collection from the command line. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search a collection; with --json the last line is a JSON array of hits.")
public final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec spec;

    @Option(names = "--collection", required = true, paramLabel = "NAME")
    String collection;

    @Option(names = "--query", required = true, paramLabel = "TEXT")
    String query;

    @Option(names = "--mode", defaultValue = "hybrid", description = "dense, bm25 or hybrid (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"-k", "--top-k"}, defaultValue = "5", description = "Hits to show (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--filter", paramLabel = "JSON", description = "Metadata filter, e.g. '{\"year\": {\"$gte\": 2020}}'.")
    String filter;

    @Option(names = "--data", paramLabel = "DIR", description = "The data home (default: $LLMP_HOME or ~/.llmp).")
    Path data;

    @Option(names = "--json", description = "Print the hits as one JSON array.")
    boolean json;

    @Override
    public Integer call() {
        MetadataFilter f = null;
        if (filter != null) {
            try {
                f = MetadataFilter.parse(JSON.readValue(filter, Object.class));
            } catch (JacksonException e) {
                throw new IllegalArgumentException("--filter is not valid JSON: " + e.getOriginalMessage());
            }
        }
        SearchRequest request = SearchRequest.of(query, SearchMode.parse(mode), topK).withFilter(f);
        try (RagCli.Session session = RagCli.open(data, ChunkingOptions.DEFAULT)) {
            RagService rag = session.rag();
            if (rag.describe(collection).isEmpty()) {
                throw new IllegalArgumentException("collection '" + collection + "' does not exist");
            }
            List<SearchHit> hits = rag.search(collection, request);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (SearchHit h : hits) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("document_id", h.documentId());
                    row.put("chunk", h.chunkIndex());
                    row.put("score", h.score());
                    row.put("title", h.title());
                    row.put("source", h.source());
                    row.put("page", h.page());
                    row.put("start", h.start());
                    row.put("end", h.end());
                    row.put("text", h.text());
                    rows.add(row);
                }
                out.println(JSON.writeValueAsString(rows));
            } else {
                int n = 1;
                for (SearchHit h : hits) {
                    out.println(String.format(Locale.ROOT, "[%d] %.4f  %s%s  (%s)", n++, h.score(), h.title(),
                            h.page() != null ? " p. " + h.page() : "", h.documentId()));
                    String text = h.text().replaceAll("\\s+", " ");
                    out.println("    " + (text.length() > 240 ? text.substring(0, 240) + "…" : text));
                }
                if (hits.isEmpty()) {
                    out.println("no hits");
                }
            }
            out.flush();
        }
        return 0;
    }
}
