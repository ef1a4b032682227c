package dev.llmplatform.api.cli;

import dev.llmplatform.rag.RagService;
import dev.llmplatform.rag.ingest.ChunkingOptions;
import dev.llmplatform.rag.ingest.DocumentFormat;
import dev.llmplatform.rag.ingest.DocumentParser;
import dev.llmplatform.rag.ingest.IngestException;
import dev.llmplatform.rag.ingest.IngestProgress;
import dev.llmplatform.rag.ingest.JsonRecords;
import dev.llmplatform.rag.ingest.SourceDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code llmp ingest}: files and folders into a collection, with a progress bar. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Ingest documents (txt, md, html, pdf, docx, json, jsonl) into a collection, creating it if needed.",
                "Folders are walked; files of other types in them are skipped. The last line is a JSON summary."})
public final class IngestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--collection", required = true, paramLabel = "NAME", description = "The collection to ingest into.")
    String collection;

    @Option(names = "--data", paramLabel = "DIR", description = "The data home (default: $LLMP_HOME or ~/.llmp).")
    Path data;

    @Option(names = "--chunk-tokens", defaultValue = "200", description = "Chunk size in the encoder's tokens (default: ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--chunk-overlap", defaultValue = "40", description = "Tokens shared by consecutive chunks (default: ${DEFAULT-VALUE}).")
    int chunkOverlap;

    @Option(names = "--text-field", defaultValue = "text", paramLabel = "FIELD",
            description = "For JSON/JSONL records: the field holding the text; other fields become metadata (default: ${DEFAULT-VALUE}).")
    String textField;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders to ingest.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> DocumentFormat.ofFileName(f.toString()).isPresent())
                            .sorted().forEach(files::add);
                }
            } else {
                files.add(CliFiles.requireFile(p, "PATH"));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no ingestible files found in " + paths);
        }
        PrintWriter err = spec.commandLine().getErr();
        DocumentParser parser = new DocumentParser(new JsonRecords.Fields(textField, "_id", "title"));
        List<SourceDocument> docs = new ArrayList<>();
        for (Path f : files) {
            try {
                docs.addAll(parser.parse(f.toString(), null, Files.readAllBytes(f), null));
            } catch (IngestException e) {
                throw new IllegalArgumentException(e.getMessage() + " (nothing was ingested)");
            }
        }
        try (RagCli.Session session = RagCli.open(data, new ChunkingOptions(chunkTokens, chunkOverlap))) {
            RagService rag = session.rag();
            if (rag.describe(collection).isEmpty()) {
                rag.createCollection(collection);
                err.println("created collection '" + collection + "'");
            }
            IngestProgress done = rag.ingest(collection, docs, RagCli.progress(spec.commandLine().getOut(), err));
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.format(Locale.ROOT,
                    "{\"collection\":\"%s\",\"files\":%d,\"documents\":%d,\"chunks\":%d,\"seconds\":%.2f,\"chunks_per_second\":%.1f,\"embedding_share\":%.3f}",
                    collection, files.size(), done.doneDocuments(), done.chunks(), done.elapsedNanos() / 1e9,
                    done.chunksPerSecond(), done.embeddingShare()));
            out.flush();
        }
        return 0;
    }
}
