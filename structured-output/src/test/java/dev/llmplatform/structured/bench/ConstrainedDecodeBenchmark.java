package dev.llmplatform.structured.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.GenerationResult;
import dev.llmplatform.engine.runtime.LogitsConstraint;
import dev.llmplatform.engine.runtime.SamplingParams;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.structured.StructuredOutput;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * End-to-end decode speed with and without a JSON Schema constraint, in one process ("one sitting"):
 * the engine runs on the calling thread ({@code threads = 1}), so that thread's CPU time is the whole
 * cost of a token (forward pass, sampling, mask, grammar advance) and stays meaningful on a machine
 * loaded by other work; wall-clock rates are printed beside it. Runs alternate (unconstrained,
 * constrained, then the other order) so drifting load hits both alike. The schema cannot end before
 * {@code tokens} tokens (an array with 64 required items), so both runs generate the same count. Also
 * prints the constraint's own share: thread CPU time inside {@code allowedTokens}/{@code accept}.
 * Usage: {@code ConstrainedDecodeBenchmark MODEL.gguf [tokens=128] [rounds=3]}.
 */
public final class ConstrainedDecodeBenchmark {
    static final String SCHEMA = """
            {"type":"array","minItems":64,"items":{"type":"object","additionalProperties":false,
             "required":["id","name"],"properties":{"id":{"type":"integer","minimum":0},
             "name":{"type":"string","maxLength":12},"tags":{"type":"array","items":{"enum":["a","b","c"]}}}}}
            """;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ConstrainedDecodeBenchmark() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (Engine engine = Engine.load(model, 1, true)) {
            TokenVocabulary vocab = TokenVocabulary.of(engine.tokenizer());
            long t0 = System.nanoTime();
            TokenMasker masker = StructuredOutput.forJsonSchema(SCHEMA, vocab);
            long compiled = System.nanoTime();
            int masks = masker.precompute(TokenMasker.DEFAULT_PRECOMPUTE_STACKS);
            System.out.printf(Locale.ROOT, "vocabulary %d tokens; schema compiled in %.1f ms, %d masks precomputed in %.1f ms%n",
                    vocab.size(), (compiled - t0) / 1e6, masks, (System.nanoTime() - compiled) / 1e6);
            int[] prompt = engine.tokenizer().encode("Here is the list as JSON:", false);
            double[] plainCpu = new double[rounds];
            double[] schemaCpu = new double[rounds];
            double[] plainWall = new double[rounds];
            double[] schemaWall = new double[rounds];
            double[] constraintShare = new double[rounds];
            run(engine, prompt, tokens, null); // warm-up of both paths, not measured
            run(engine, prompt, tokens, new TimedConstraint(masker.newConstraint()));
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    boolean constrained = (k == 0) == (r % 2 == 1);
                    TimedConstraint c = constrained ? new TimedConstraint(masker.newConstraint()) : null;
                    Run x = run(engine, prompt, tokens, c);
                    if (constrained) {
                        schemaCpu[r] = x.tokens / (x.cpuNanos / 1e9);
                        schemaWall[r] = x.tokens / (x.wallNanos / 1e9);
                        constraintShare[r] = 100.0 * c.cpuNanos / x.cpuNanos;
                    } else {
                        plainCpu[r] = x.tokens / (x.cpuNanos / 1e9);
                        plainWall[r] = x.tokens / (x.wallNanos / 1e9);
                    }
                    System.out.printf(Locale.ROOT, "round %d %-13s %d tokens: %.2f tokens/CPU-s, %.2f tokens/s wall%s%n", r,
                            constrained ? "schema" : "no schema", x.tokens, x.tokens / (x.cpuNanos / 1e9),
                            x.tokens / (x.wallNanos / 1e9),
                            constrained ? String.format(Locale.ROOT, ", constraint %.2f %% of CPU", 100.0 * c.cpuNanos / x.cpuNanos)
                                    : "");
                }
            }
            double p = median(plainCpu);
            double s = median(schemaCpu);
            System.out.printf(Locale.ROOT, "median tokens per CPU-second: no schema %.2f, schema %.2f -> overhead %.1f %%"
                            + " (wall: %.2f vs %.2f tokens/s); constraint's own CPU share: median %.2f %%%n", p, s,
                    100.0 * (p / s - 1), median(plainWall), median(schemaWall), median(constraintShare));
        }
    }

    private record Run(int tokens, long cpuNanos, long wallNanos) {
    }

    private static Run run(Engine engine, int[] prompt, int tokens, LogitsConstraint constraint) {
        GenerationRequest req = GenerationRequest.of(prompt, tokens, SamplingParams.defaults().withSeed(7L));
        if (constraint != null) {
            req = req.withConstraint(constraint);
        }
        Sequence seq = engine.newSequence(prompt.length + tokens + 8);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        GenerationResult result = engine.generate(seq, req, e -> { });
        return new Run(result.tokens().length, THREADS.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Counts the calling thread's CPU time spent in the constraint. */
    private static final class TimedConstraint implements LogitsConstraint {
        private final LogitsConstraint inner;
        long cpuNanos;

        TimedConstraint(LogitsConstraint inner) {
            this.inner = inner;
        }

        @Override
        public void allowedTokens(BitSet allowed) {
            long t = THREADS.getCurrentThreadCpuTime();
            inner.allowedTokens(allowed);
            cpuNanos += THREADS.getCurrentThreadCpuTime() - t;
        }

        @Override
        public void accept(int tokenId) {
            long t = THREADS.getCurrentThreadCpuTime();
            inner.accept(tokenId);
            cpuNanos += THREADS.getCurrentThreadCpuTime() - t;
        }

        @Override
        public boolean canEnd() {
            return inner.canEnd();
        }
    }
}
