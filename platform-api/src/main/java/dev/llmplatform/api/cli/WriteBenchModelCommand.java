package dev.llmplatform.api.cli;

import dev.llmplatform.engine.benchmark.BenchmarkModelWriter;
import dev.llmplatform.engine.benchmark.ModelShape;
import dev.llmplatform.engine.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llmp write-bench-model}: a random-weight GGUF with a real model's shapes, for benchmarks. */
@Command(name = "write-bench-model", mixinStandardHelpOptions = true,
        description = {"Write a random-weight GGUF model with the shapes of a real one (default Llama-3.2-1B),",
                "for measuring speed (llmp bench) without downloading weights. Its outputs are meaningless."})
public final class WriteBenchModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The GGUF file to write.")
    Path out;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "Weight type of the layers: Q8_0, Q4_0 (also F16, BF16, Q4_1, Q5_0, Q5_1, Q2_K..Q6_K).")
    String type;

    @Option(names = "--embedding-type", paramLabel = "TYPE",
            description = "Type of the tied token embeddings (default as llama.cpp quantizes: Q6_K for 4-bit types, else the same type).")
    String embeddingType;

    @Option(names = "--shape", paramLabel = "NAME", defaultValue = "llama-3.2-1b",
            description = "Model shape: llama-3.2-1b or tiny (default ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        GgmlType layers = parseType("--type", type);
        GgmlType embeddings = embeddingType != null ? parseType("--embedding-type", embeddingType)
                : BenchmarkModelWriter.defaultEmbeddingType(layers);
        ModelShape modelShape;
        try {
            modelShape = ModelShape.byName(shape);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--shape: " + e.getMessage());
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": directory " + parent + " does not exist");
        }
        BenchmarkModelWriter writer;
        try {
            writer = new BenchmarkModelWriter(modelShape, layers, embeddings, seed);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        long start = System.nanoTime();
        writer.write(out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s shape, %s layers, %s embeddings, %.2f GB in %.1f s%n",
                out, modelShape.name(), layers, embeddings, Files.size(out) / 1e9, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private GgmlType parseType(String option, String name) {
        try {
            return GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": unknown tensor type '" + name + "'");
        }
    }
}
