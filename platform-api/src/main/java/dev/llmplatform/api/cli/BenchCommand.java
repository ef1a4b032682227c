package dev.llmplatform.api.cli;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.benchmark.InferenceBenchmark;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.Kernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llmp bench}: prompt-processing and generation speed, measured and printed like llama-bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt processing (pp) and text generation (tg) speed in tokens/s, as llama-bench does:",
                "random tokens from an empty context, one warm-up run, then the repetitions' mean ± standard deviation."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOption model;

    @Mixin
    ThreadsOption threads;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "512", description = "Prompt tokens for pp; 0 skips it (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "128", description = "Generated tokens for tg; 0 skips it (default ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "5", description = "Measured runs of each test (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random tokens (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "End with one JSON line: {\"pp_tok_s\": …, \"tg_tok_s\": …, …}.")
    boolean json;

    @Override
    public Integer call() {
        Path modelFile = model.path();
        if (promptTokens < 0 || genTokens < 0 || promptTokens + genTokens == 0) {
            throw new ParameterException(spec.commandLine(), "-p and -n must be ≥ 0 and not both 0");
        }
        if (repetitions < 1) {
            throw new ParameterException(spec.commandLine(), "-r must be ≥ 1 (got " + repetitions + ")");
        }
        int threadCount = threads.count();
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = Engine.load(modelFile, threadCount)) {
            int context = engine.config().contextLength();
            if (Math.max(promptTokens, genTokens) > context) {
                throw new ParameterException(spec.commandLine(), "the model's context holds " + context + " tokens");
            }
            String description = describe(engine);
            long bytes = modelBytes(engine);
            long parameters = modelParameters(engine);
            String size = bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                    : String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
            String params = parameters >= 1e9 ? String.format(Locale.ROOT, "%.2f B", parameters / 1e9)
                    : String.format(Locale.ROOT, "%.2f M", parameters / 1e6);
            String backend = "Java " + Kernels.implementation();
            out.printf("| %-28s | %10s | %8s | %-36s | %7s | %6s | %16s |%n", "model", "size", "params", "backend", "threads", "test", "t/s");
            out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", "-".repeat(28), "-".repeat(10), "-".repeat(8), "-".repeat(36),
                    "-".repeat(7), "-".repeat(6), "-".repeat(16));
            out.flush();
            InferenceBenchmark bench = new InferenceBenchmark(engine.model(), seed);
            InferenceBenchmark.Result pp = bench.promptProcessing(promptTokens, repetitions);
            if (pp.ran()) {
                row(out, description, size, params, backend, engine.threads(), "pp" + promptTokens, pp);
            }
            InferenceBenchmark.Result tg = bench.textGeneration(genTokens, repetitions);
            if (tg.ran()) {
                row(out, description, size, params, backend, engine.threads(), "tg" + genTokens, tg);
            }
            if (json) {
                out.printf(Locale.ROOT, "{\"pp_tok_s\": %s, \"tg_tok_s\": %s, \"pp_stddev\": %s, \"tg_stddev\": %s, "
                                + "\"n_prompt\": %d, \"n_gen\": %d, \"repetitions\": %d, \"threads\": %d, "
                                + "\"model\": \"%s\", \"model_bytes\": %d, \"backend\": \"%s\"}%n",
                        number(pp, pp.meanTokensPerSecond()), number(tg, tg.meanTokensPerSecond()),
                        number(pp, pp.stddevTokensPerSecond()), number(tg, tg.stddevTokensPerSecond()),
                        promptTokens, genTokens, repetitions, engine.threads(), jsonEscape(description),
                        modelBytes(engine), jsonEscape(backend));
            }
            out.flush();
        }
        return 0;
    }

    private void row(PrintWriter out, String model, String size, String params, String backend, int threads, String test,
                     InferenceBenchmark.Result r) {
        out.printf(Locale.ROOT, "| %-28s | %10s | %8s | %-36s | %7d | %6s | %16s |%n", model, size, params, backend,
                threads, test, String.format(Locale.ROOT, "%.2f ± %.2f", r.meanTokensPerSecond(), r.stddevTokensPerSecond()));
        out.flush();
    }

    private static String number(InferenceBenchmark.Result r, double v) {
        return r.ran() ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** "llama Q8_0": the architecture and the type holding most of the weight bytes. */
    private static String describe(Engine engine) {
        Map<GgmlType, Long> bytesByType = new EnumMap<>(GgmlType.class);
        for (GgufTensor t : engine.file().tensors().values()) {
            bytesByType.merge(t.type(), t.byteSize(), Long::sum);
        }
        GgmlType main = bytesByType.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
        return engine.file().architecture() + " " + main;
    }

    private static long modelBytes(Engine engine) {
        return engine.file().tensors().values().stream().mapToLong(GgufTensor::byteSize).sum();
    }

    private static long modelParameters(Engine engine) {
        return engine.file().tensors().values().stream().mapToLong(GgufTensor::elementCount).sum();
    }
}
