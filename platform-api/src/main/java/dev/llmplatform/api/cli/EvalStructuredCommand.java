package dev.llmplatform.api.cli;

import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.structured.eval.MaskBench;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmp eval-structured}: runs the grammar engine over a MaskBench-format suite (JSON Schemas with
 * valid and invalid instances) with a real vocabulary, and reports coverage, correctness and mask time.
 */
@Command(name = "eval-structured", mixinStandardHelpOptions = true,
        description = "Evaluate JSON-Schema-constrained decoding on a MaskBench-format suite: for each schema, compile "
                + "it; walk every test instance (compact JSON) token by token through the constraint; report schemas "
                + "compiled, valid instances accepted, invalid ones rejected and per-token mask time.")
public final class EvalStructuredCommand implements Callable<Integer> {
    @Option(names = "--suite", required = true, paramLabel = "DIR", description = "Folder of MaskBench *.json files.")
    Path suite;

    @Option(names = "--vocab", required = true, paramLabel = "VOCAB.gguf",
            description = "A GGUF file with a tokenizer (a vocabulary-only file will do).")
    Path vocab;

    @Option(names = "--json", description = "Print the totals as one JSON object on the last line.")
    boolean json;

    @Option(names = "--lenient", description = "Count as compiled also the schemas with keywords a grammar cannot "
            + "enforce (multipleOf, uniqueItems, ...), which are then left to a validator after generation. By default "
            + "(strict) such schemas count as not compiled. Both views are printed; this picks the one for --json.")
    boolean lenient;

    @Option(names = "--verbose", description = "One line per schema that failed to compile or misjudged an instance.")
    boolean verbose;

    @Option(names = "--trace-slow", description = "Classify every mask call over 50 us by the work it did (a per-rule "
            + "mask computed late, a first-met state with or without suffix-trie walks, a GC, other) and print the counts "
            + "per schema and in total.")
    boolean traceSlow;

    @Override
    public Integer call() {
        if (!Files.isDirectory(suite)) {
            throw new IllegalArgumentException("--suite " + suite + ": no such directory");
        }
        List<Path> files = MaskBench.suiteFiles(suite);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--suite " + suite + ": no *.json files");
        }
        Tokenizer tokenizer = CliTokenizers.load(vocab);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        MaskBench bench = new MaskBench(tokenizer).traceSlowCalls(traceSlow);
        java.util.Map<MaskBench.SlowCause, Integer> slowTotals = new java.util.EnumMap<>(MaskBench.SlowCause.class);
        List<MaskBench.SchemaResult> results = bench.run(files, r -> {
            if (traceSlow && !r.slowCalls().isEmpty()) {
                out.println("slow masks    " + r.file() + (r.precomputeComplete() ? "" : " (precompute cut by its budget)")
                        + ": " + r.slowCalls());
                if (r.compiledStrict()) {
                    r.slowCalls().forEach((cause, n) -> slowTotals.merge(cause, n, Integer::sum));
                }
            }
            if (!verbose) {
                return;
            }
            if (!r.compiled()) {
                out.println("not compiled  " + r.file() + ": " + r.error());
            } else if (!r.compiledStrict()) {
                out.println("lenient only  " + r.file() + ": " + String.join("; ", r.unenforced()));
            }
            if (r.compiled() && (r.validAccepted() < r.validTotal() || r.invalidRejected() < r.invalidTotal())) {
                out.printf("misjudged     %s: valid %d/%d accepted, invalid %d/%d rejected%n", r.file(),
                        r.validAccepted(), r.validTotal(), r.invalidRejected(), r.invalidTotal());
            }
        });
        MaskBench.Summary s = null;
        for (boolean strictView : new boolean[] {true, false}) {
            MaskBench.Summary v = bench.summarize(results, strictView);
            out.println(strictView ? "strict (every keyword enforced by the grammar):"
                    : "lenient (unenforceable keywords left to validation after generation):");
            out.printf(Locale.ROOT, "  schemas compiled:           %d / %d (%.1f %%)%n", v.compiled(), v.schemas(),
                    pct(v.compiled(), v.schemas()));
            out.printf(Locale.ROOT, "  valid instances accepted:   %d / %d (%.1f %%)%n", v.validAccepted(), v.validTotal(),
                    pct(v.validAccepted(), v.validTotal()));
            out.printf(Locale.ROOT, "  invalid instances rejected: %d / %d (%.1f %%)%n", v.invalidRejected(),
                    v.invalidTotal(), pct(v.invalidRejected(), v.invalidTotal()));
            out.printf(Locale.ROOT, "  mask time per token:        p50 %.1f us, p99 %.1f us (%d masks; thread CPU time: p50 %.1f us,"
                    + " p99 %.1f us)%n", v.maskUsP50(), v.maskUsP99(), v.maskSamples(), v.maskCpuUsP50(), v.maskCpuUsP99());
            out.printf(Locale.ROOT, "  mask calls over 50 us:      %.2f %%%n", 100 * v.maskShareOver50Us());
            out.printf(Locale.ROOT, "  compile time per schema:    p50 %.2f ms, p99 %.2f ms (thread CPU time: p50 %.2f ms, p99 %.2f ms;"
                    + " grammar + masks precomputed within %.0f s of CPU time)%n", v.compileMsP50(), v.compileMsP99(),
                    v.compileCpuMsP50(), v.compileCpuMsP99(), MaskBench.PRECOMPUTE_BUDGET_NANOS / 1e9);
            if (strictView != lenient) {
                s = v;
            }
        }
        if (traceSlow) {
            out.println("slow mask calls by cause (strictly compiled schemas): " + slowTotals);
        }
        if (json) {
            out.println(s.toJson());
        }
        out.flush();
        return 0;
    }

    private static double pct(int a, int b) {
        return b == 0 ? 100.0 : 100.0 * a / b;
    }
}
