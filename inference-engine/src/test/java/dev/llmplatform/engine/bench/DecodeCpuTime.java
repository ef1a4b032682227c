package dev.llmplatform.engine.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.Sequence;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decode speed in tokens per CPU-second of the decoding thread, on one thread: on a machine shared with
 * other work, wall-clock tokens/s move with the load, CPU time much less. Optionally first
 * {@code promptPasses} prompts of {@code promptTokens} tokens through the batched forward pass (as
 * {@code llmp bench -p N} runs before its decode), since what the JIT compiled for the prompt phase can
 * change how the decode that follows is compiled. Then three unmeasured rounds and {@code rounds} rounds
 * of {@code tokens} decode steps from an empty context; prints the median, and the prompt passes' speed
 * per CPU-second.
 * Usage: {@code DecodeCpuTime MODEL.gguf [tokens] [rounds] [promptTokens] [promptPasses]}.
 */
public final class DecodeCpuTime {
    private DecodeCpuTime() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        int promptTokens = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int promptPasses = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Engine engine = Engine.load(model, 1)) {
            int vocab = engine.model().vocabularySize();
            if (promptTokens > 0) {
                Sequence prompt = new Sequence(engine.model(), promptTokens, Math.min(promptTokens, 512));
                int[] input = promptInput(promptTokens, vocab);
                double[] promptRates = new double[promptPasses];
                for (int p = 0; p < promptPasses; p++) {
                    prompt.truncate(0);
                    long cpu = mx.getCurrentThreadCpuTime();
                    prompt.append(input);
                    promptRates[p] = promptTokens / ((mx.getCurrentThreadCpuTime() - cpu) / 1e9);
                }
                System.out.printf(Locale.ROOT, "%d prompt passes of %d tokens, tokens per CPU-second: %s%n",
                        promptPasses, promptTokens, Arrays.toString(Arrays.stream(promptRates)
                                .map(r -> Math.round(r * 10) / 10.0).toArray()));
            }
            Sequence seq = engine.newSequence(tokens);
            double[] rates = new double[rounds];
            for (int r = -3; r < rounds; r++) {
                seq.truncate(0);
                long cpu = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < tokens; i++) {
                    seq.append(1 + (int) ((i * 7919L) % (vocab - 1)));
                }
                cpu = mx.getCurrentThreadCpuTime() - cpu;
                if (r >= 0) {
                    rates[r] = tokens / (cpu / 1e9);
                }
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%s: %d rounds of %d tokens, 1 thread: median %.1f tokens per CPU-second"
                    + " (min %.1f, max %.1f)%n", model.getFileName(), rounds, tokens, rates[rounds / 2], rates[0], rates[rounds - 1]);
        }
    }

    /** A prompt of {@code n} token ids spread over the vocabulary (the same for every harness run). */
    static int[] promptInput(int n, int vocab) {
        int[] input = new int[n];
        for (int i = 0; i < n; i++) {
            input[i] = 1 + (int) ((i * 104729L) % (vocab - 1));
        }
        return input;
    }
}
