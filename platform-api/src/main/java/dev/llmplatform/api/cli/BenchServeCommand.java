package dev.llmplatform.api.cli;

import dev.llmplatform.api.bench.BenchmarkPrompts;
import dev.llmplatform.api.bench.BenchmarkTarget;
import dev.llmplatform.api.bench.LatencyStats;
import dev.llmplatform.api.bench.ServeBenchmark;
import dev.llmplatform.api.bench.ServeBenchmarkOptions;
import dev.llmplatform.api.bench.ServeBenchmarkResult;
import dev.llmplatform.api.bench.ServerUnreachableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llmp bench-serve}: load for any OpenAI-compatible server, measured as a client sees it. */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = {"Send streamed chat completions to an OpenAI-compatible server (ours, llama.cpp's llama-server, …)",
                "and report requests/s, output tokens/s, time to first token and inter-token latency (p50/p99).",
                "Only the server at --url is contacted; redirects are not followed."})
public final class BenchServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, description = "The server: http://host:port or http://host:port/v1.")
    String url;

    @Option(names = {"--model", "-m"}, required = true, description = "The model field of each request.")
    String model;

    @Option(names = {"--concurrency", "-c"}, defaultValue = "1", description = "Requests in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = {"--requests", "-n"}, defaultValue = "16", description = "Requests in all (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = {"--prompt-tokens", "-p"}, defaultValue = "512", description = "About how many tokens each prompt has (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"--max-tokens", "-t"}, defaultValue = "128", description = "max_tokens of each request (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "temperature of each request (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--timeout-s", defaultValue = "120", description = "The most one request may take, stream included (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--api-key", description = "Sent as 'Authorization: Bearer KEY'.")
    String apiKey;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the prompts' words (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "End with one JSON line: {\"concurrency\", \"requests\", \"errors\", \"output_tok_s\", "
            + "\"ttft_ms_p50\", \"ttft_ms_p99\", \"itl_ms_p50\", \"itl_ms_p99\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ServeBenchmarkOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        ServeBenchmarkResult result;
        try (ServeBenchmark bench = new ServeBenchmark(options)) {
            result = bench.run();
        } catch (ServerUnreachableException e) {
            spec.commandLine().getErr().println("llmp: " + e.getMessage());
            return 1;
        }
        print(out, result);
        if (json) {
            out.println(result.jsonLine());
        }
        out.flush();
        if (result.completed() == 0) {
            spec.commandLine().getErr().println("llmp: every request failed; the first: " + result.firstError());
            return 1;
        }
        return 0;
    }

    private ServeBenchmarkOptions options() {
        if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
            throw new ParameterException(spec.commandLine(), "--timeout-s must be > 0 and at most 86400 (got " + timeoutSeconds + ")");
        }
        try {
            return new ServeBenchmarkOptions(BenchmarkTarget.parse(url), model, concurrency, requests, promptTokens, maxTokens,
                    temperature, Duration.ofNanos((long) (timeoutSeconds * 1e9)), apiKey, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void print(PrintWriter out, ServeBenchmarkResult r) {
        out.printf(Locale.ROOT, "server       %s/v1/chat/completions, model %s%n", r.target(), r.model());
        out.printf(Locale.ROOT, "prompts      ~%d tokens each (%s)%n", r.prompts().promptTokens(), sizing(r.prompts()));
        out.printf(Locale.ROOT, "requests     %d sent, %d completed, %d errors, concurrency %d, in %.2f s%n",
                r.requests(), r.completed(), r.errors(), r.concurrency(), r.wallSeconds());
        out.printf(Locale.ROOT, "throughput   %.3f requests/s, %.2f output tokens/s (%d tokens, %s)%n",
                r.requestsPerSecond(), r.outputTokensPerSecond(), r.outputTokens(), r.tokenCounting().description());
        out.println(latency("TTFT", r.timeToFirstToken(), "requests"));
        out.println(latency("ITL", r.interTokenLatency(), "gaps"));
        if (r.firstError() != null) {
            out.println("first error  " + r.firstError());
        }
    }

    private static String latency(String name, LatencyStats stats, String unit) {
        if (stats.isEmpty()) {
            return String.format(Locale.ROOT, "%-12s no samples", name);
        }
        return String.format(Locale.ROOT, "%-12s p50 %.2f ms, p99 %.2f ms, mean %.2f ms (%d %s)", name,
                stats.percentileMillis(50), stats.percentileMillis(99), stats.meanMillis(), stats.count(), unit);
    }

    /** How the prompts were sized, with the measured or assumed ratio. */
    private static String sizing(BenchmarkPrompts.Plan plan) {
        return String.format(Locale.ROOT, "%s: %d words, %.2f tokens per word", plan.sizing().description(),
                plan.words(), plan.tokensPerWord());
    }
}
