package dev.llmplatform.api.cli;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.api.state.CommandLineStateDatabase;
import dev.llmplatform.api.state.JdbcCollectionCatalog;
import dev.llmplatform.rag.EncoderEmbedder;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** What the RAG commands share: opening the collections of a data home, and the progress bar. */
final class RagCli {
    private RagCli() {
    }

    /**
     * The RAG service over {@code data}'s collections ({@code null}: LLMP_HOME or ~/.llmp) with the bundled
     * encoder. Which collections exist is in the state database, as for the server, which must not be
     * running on the same data home (it holds both the database and the indexes).
     */
    static Session open(Path data, ChunkingOptions chunking) {
        DataHome home = data != null ? new DataHome(data) : DataHome.resolve(null);
        CommandLineStateDatabase db = CommandLineStateDatabase.open(home,
                "use its API instead (POST /v1/collections/{name}/documents, POST /v1/collections/{name}/search)");
        try {
            return new Session(new RagService(new LuceneCollectionStore(home.collections(), new JdbcCollectionCatalog(db.dataSource())),
                    EncoderEmbedder.loadDefault(), chunking), db);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /** A RAG service and the state database it records collections in; closing closes both. */
    record Session(RagService rag, CommandLineStateDatabase db) implements AutoCloseable {
        @Override
        public void close() {
            try {
                rag.close();
            } finally {
                db.close();
            }
        }
    }

    /**
     * Reports ingest progress: on a terminal, a bar redrawn in place on standard output; otherwise (piped,
     * logged) a plain line on standard error every few seconds and at the end, since a pipe shows nothing
     * of a line until it ends.
     */
    static Consumer<IngestProgress> progress(PrintWriter out, PrintWriter err) {
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        long[] lastLine = {0};
        return p -> {
            boolean last = p.doneDocuments() == p.totalDocuments();
            if (terminal) {
                out.print("\r" + describe(p, true));
                if (last) {
                    out.println();
                }
                out.flush();
            } else if (last || System.nanoTime() - lastLine[0] > 5_000_000_000L) {
                lastLine[0] = System.nanoTime();
                err.println(describe(p, false));
                err.flush();
            }
        };
    }

    /** {@code [#####.....] 1200/5183 docs  2950 chunks  31.0 chunks/s  ETA 2m08s}. */
    static String describe(IngestProgress p, boolean bar) {
        int width = 30;
        int filled = (int) Math.round(p.fraction() * width);
        double eta = p.etaSeconds();
        return String.format(Locale.ROOT, "%s%d/%d docs  %d chunks  %.1f chunks/s  ETA %s   ",
                bar ? "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " : "ingest: ",
                p.doneDocuments(), p.totalDocuments(), p.chunks(), p.chunksPerSecond(), eta < 0 ? "?" : formatSeconds(eta));
    }

    static String formatSeconds(double s) {
        long secs = Math.round(s);
        return secs >= 60 ? (secs / 60) + "m" + String.format(Locale.ROOT, "%02d", secs % 60) + "s" : secs + "s";
    }
}
