package dev.llmplatform.api.cli;

import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llmp embed}: sentence embeddings from the command line, one unit-length vector per text. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed texts with a sentence encoder and print the vectors.",
                "The last line of the output is a JSON array with one L2-normalised vector per --text, in order."})
public final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "default|PATH", defaultValue = "default",
            description = "'default' for the bundled all-MiniLM-L6-v2, or a BERT GGUF file, or an ONNX file with"
                    + " tokenizer.json beside it (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "A text to embed; repeat for several.")
    List<String> texts = new ArrayList<>();

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws IOException {
        int threadCount = threads.count();
        Path path = null;
        if (!model.equals("default")) {
            path = Path.of(model);
            if (!Files.isRegularFile(path)) {
                throw new ParameterException(spec.commandLine(), "--model " + model + ": no such file");
            }
        }
        try (SentenceEmbedder embedder = path == null ? SentenceEmbedder.loadDefault(threadCount)
                : SentenceEmbedder.load(path, threadCount)) {
            List<float[]> vectors = embedder.embed(texts);
            PrintWriter out = spec.commandLine().getOut();
            out.println(embedder.name() + ": " + texts.size() + (texts.size() == 1 ? " text, " : " texts, ")
                    + embedder.dimension() + " dimensions, pooling " + embedder.pooling().name().toLowerCase()
                    + ", up to " + embedder.maxTokens() + " tokens");
            out.println(toJson(vectors));
            out.flush();
        }
        return 0;
    }

    /** A JSON array of arrays; Java's float rendering (e.g. {@code 1.0E-5}) is valid JSON number syntax. */
    static String toJson(List<float[]> vectors) {
        StringBuilder sb = new StringBuilder(vectors.size() * 4096);
        sb.append('[');
        for (int v = 0; v < vectors.size(); v++) {
            sb.append(v == 0 ? "[" : ",[");
            float[] vec = vectors.get(v);
            for (int i = 0; i < vec.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(vec[i]);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
