package dev.llmplatform.api.cli;

import dev.llmplatform.api.config.DataHome;
import dev.llmplatform.rag.EncoderEmbedder;
import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** What the RAG commands share: opening the collections of a data home, and the progress bar. */
final class RagCli {
    private RagCli() {
    }

    /** The RAG service over {@code data}'s collections ({@code null}: LLMP_HOME or ~/.llmp) with the bundled encoder. */
    static RagService open(Path data, ChunkingOptions chunking) {
        DataHome home = data != null ? new DataHome(data) : DataHome.resolve(null);
        return new RagService(new LuceneCollectionStore(home.collections()), EncoderEmbedder.loadDefault(), chunking);
    }

    /** One line redrawn in place: {@code [#####.....] 1200/5183 docs  310 chunks/s  ETA 12s}. */
    static void progressBar(PrintWriter err, IngestProgress p) {
        int width = 30;
        int filled = (int) Math.round(p.fraction() * width);
        double eta = p.etaSeconds();
        err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d docs  %d chunks  %.1f chunks/s  ETA %s   ",
                "#".repeat(filled), ".".repeat(width - filled), p.doneDocuments(), p.totalDocuments(), p.chunks(),
                p.chunksPerSecond(), eta < 0 ? "?" : formatSeconds(eta)));
        if (p.doneDocuments() == p.totalDocuments()) {
            err.println();
        }
        err.flush();
    }

    static String formatSeconds(double s) {
        long secs = Math.round(s);
        return secs >= 60 ? (secs / 60) + "m" + String.format(Locale.ROOT, "%02d", secs % 60) + "s" : secs + "s";
    }
}
