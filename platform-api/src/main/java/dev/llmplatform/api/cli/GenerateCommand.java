package dev.llmplatform.api.cli;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.FinishReason;
import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.GenerationResult;
import dev.llmplatform.engine.runtime.SamplingParams;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llmp generate}: streams a completion of a prompt to standard output; timings go to standard error. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt with a GGUF model, streaming it to standard output.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOption model;

    @Option(names = {"--prompt", "-p"}, required = true, description = "The prompt text.")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temp", defaultValue = "0.8", description = "Temperature; 0 for greedy (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Top-k, 0 to disable (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Top-p nucleus, 1 to disable (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "Min-p, 0 to disable (default ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "Repetition penalty, 1 to disable (default ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--seed", description = "Random seed (same seed and input → same output).")
    Long seed;

    @Option(names = "--stop", description = "A stop string; repeat for several.")
    List<String> stop = new ArrayList<>();

    @Option(names = "--ctx", defaultValue = "2048", description = "Context size in tokens, capped at the model's (default ${DEFAULT-VALUE}).")
    int contextSize;

    @Mixin
    KvTypeOption kvType;

    @Option(names = "--chat", description = "Wrap the prompt as a user message in the model's chat template (or the built-in one `llmp info` names).")
    boolean chat;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--json-schema", paramLabel = "FILE",
            description = "Constrain the output to JSON valid against this JSON Schema.")
    Path jsonSchema;

    @Option(names = "--grammar", paramLabel = "FILE.gbnf", description = "Constrain the output to this GBNF grammar.")
    Path grammar;

    @Option(names = "--json-mode", description = "Constrain the output to a JSON object (any members).")
    boolean jsonMode;

    @Option(names = "--warm-up", description = "Compile the model's kernels at load, as a server does, so the first"
            + " tokens run at full speed (the load takes a second or two longer).")
    boolean warmUp;

    @Override
    public Integer call() {
        Path modelFile = model.path();
        if (maxTokens < 0) {
            throw new ParameterException(spec.commandLine(), "-n must be ≥ 0 (got " + maxTokens + ")");
        }
        if (contextSize < 2) {
            throw new ParameterException(spec.commandLine(), "--ctx must be at least 2 (got " + contextSize + ")");
        }
        int threadCount = threads.count();
        if ((jsonSchema != null ? 1 : 0) + (grammar != null ? 1 : 0) + (jsonMode ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(), "use only one of --json-schema, --grammar, --json-mode");
        }
        SamplingParams sampling;
        try {
            sampling = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, 0f, 0f, 64, Map.of(), seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long loadStart = System.nanoTime();
        try (Engine engine = Engine.load(modelFile, threadCount, warmUp)) {
            long loaded = System.nanoTime();
            long[] tokenTimes = new long[2]; // when the first and the 16th token arrived
            Tokenizer tokenizer = engine.tokenizer();
            int[] ids = chat ? engine.chatPrompt().render(List.of(Map.of("role", "user", "content", prompt)), null, true) : encodeRaw(tokenizer, prompt);
            int ctx = Math.min(contextSize, engine.config().contextLength());
            Sequence seq = engine.newSequence(ctx, kvType.type());
            GenerationRequest request = GenerationRequest.of(ids, maxTokens, sampling).withStop(stop);
            var structured = StructuredConstraints.fromOptions(jsonSchema, grammar, jsonMode, tokenizer, err);
            if (structured != null) {
                request = request.withConstraint(structured.constraint());
            }
            int[] tokenCount = new int[1];
            GenerationResult result = engine.generate(seq, request, event -> {
                if (event instanceof GenerationEvent.Token) {
                    int n = ++tokenCount[0];
                    if (n == 1 || n == 16) {
                        tokenTimes[n == 1 ? 0 : 1] = System.nanoTime();
                    }
                }
                String text = switch (event) {
                    case GenerationEvent.Token t -> t.text();
                    case GenerationEvent.Finished f -> f.text();
                };
                out.print(text);
                out.flush();
            });
            out.println();
            out.flush();
            var s = result.stats();
            err.printf(Locale.ROOT, "prompt: %d tokens, %.1f tok/s; generated: %d tokens, %.1f tok/s; finish: %s; threads: %d%n",
                    s.promptTokens(), s.promptTokensPerSecond(), s.completionTokens(), s.decodeTokensPerSecond(),
                    result.reason().name().toLowerCase(Locale.ROOT), engine.threads());
            err.printf(Locale.ROOT, "load: %.2f s%s; after it, token 1: %s, token 16: %s%n", (loaded - loadStart) / 1e9,
                    warmUp ? " (with warm-up)" : "", seconds(tokenTimes[0], loaded), seconds(tokenTimes[1], loaded));
            err.flush();
            if (structured != null && structured.validator() != null) {
                List<String> violations = structured.validator().violations(result.text());
                if (!violations.isEmpty()) {
                    err.println("llmp: the output does not satisfy " + jsonSchema + ": " + String.join("; ", violations)
                            + (result.reason() == FinishReason.LENGTH ? " (generation stopped at -n before the JSON was complete)" : ""));
                    return 3;
                }
            }
        }
        return 0;
    }

    /** Seconds from {@code from} to {@code at}, or "-" when {@code at} never came. */
    private static String seconds(long at, long from) {
        return at == 0 ? "-" : String.format(Locale.ROOT, "%.2f s", (at - from) / 1e9);
    }

    /** The prompt as the model's tokenizer encodes plain text, with BOS/EOS as the vocabulary asks. */
    static int[] encodeRaw(Tokenizer tokenizer, String text) {
        return Tokenizers.encodeWithSpecials(tokenizer, text, false);
    }
}
