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

    @Option(names = "--lenient", description = "Compile schemas with keywords a grammar cannot enforce (multipleOf, "
            + "uniqueItems, ...) by leaving those keywords to a validator after generation, instead of failing.")
    boolean lenient;

    @Option(names = "--verbose", description = "One line per schema that failed to compile or misjudged an instance.")
    boolean verbose;

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
        MaskBench.Summary s = new MaskBench(tokenizer, !lenient).run(files, r -> {
            if (!verbose) {
                return;
            }
            if (!r.compiled()) {
                out.println("not compiled  " + r.file() + ": " + r.error());
            } else if (r.validAccepted() < r.validTotal() || r.invalidRejected() < r.invalidTotal()) {
                out.printf("misjudged     %s: valid %d/%d accepted, invalid %d/%d rejected%n", r.file(),
                        r.validAccepted(), r.validTotal(), r.invalidRejected(), r.invalidTotal());
            }
        });
        out.printf(Locale.ROOT, "schemas compiled:          %d / %d (%.1f %%)%s%n", s.compiled(), s.schemas(),
                pct(s.compiled(), s.schemas()), lenient ? " (lenient)" : "");
        out.printf(Locale.ROOT, "valid instances accepted:  %d / %d (%.1f %%)%n", s.validAccepted(), s.validTotal(),
                pct(s.validAccepted(), s.validTotal()));
        out.printf(Locale.ROOT, "invalid instances rejected: %d / %d (%.1f %%)%n", s.invalidRejected(), s.invalidTotal(),
                pct(s.invalidRejected(), s.invalidTotal()));
        out.printf(Locale.ROOT, "mask time per token:       p50 %.1f us, p99 %.1f us (%d masks)%n", s.maskUsP50(),
                s.maskUsP99(), s.maskSamples());
        out.printf(Locale.ROOT, "compile time per schema:   p50 %.2f ms%n", s.compileMsP50());
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
