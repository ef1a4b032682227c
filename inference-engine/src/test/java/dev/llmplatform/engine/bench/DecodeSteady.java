package dev.llmplatform.engine.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.Sequence;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether a fresh process's decode settles at its usual speed: loads a model on {@code threads} threads,
 * runs {@code llmp bench}'s sequence (a prompt of {@code promptTokens} twice, then decode rounds of
 * {@code tokens} tokens from an empty context) and keeps decoding until {@code seconds} of JVM uptime,
 * printing each round's tokens per CPU-second of the process's Java threads (compiler and GC threads are
 * not Java threads, so C2's work under way does not count). The median of the last five rounds is the
 * process's steady speed; a process that C2 left with a badly compiled kernel stays several times slower.
 * Usage: {@code DecodeSteady MODEL.gguf [threads] [tokens] [promptTokens] [seconds]}.
 */
public final class DecodeSteady {
    private DecodeSteady() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int promptTokens = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 90;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (Engine engine = Engine.load(model, threads)) {
            int vocab = engine.model().vocabularySize();
            if (promptTokens > 0) {
                Sequence prompt = new Sequence(engine.model(), promptTokens, Math.min(promptTokens, 512));
                int[] input = DecodeCpuTime.promptInput(promptTokens, vocab);
                for (int p = 0; p < 2; p++) {
                    prompt.truncate(0);
                    prompt.append(input);
                }
            }
            Sequence seq = engine.newSequence(tokens);
            double[] rates = new double[4096];
            int n = 0;
            while (n < rates.length && (n < 8 || uptime() < seconds)) {
                seq.truncate(0);
                long cpu = javaCpu(mx);
                long wall = System.nanoTime();
                for (int i = 0; i < tokens; i++) {
                    seq.append(1 + (int) ((i * 7919L + n) % (vocab - 1)));
                }
                cpu = javaCpu(mx) - cpu;
                wall = System.nanoTime() - wall;
                rates[n++] = tokens / (cpu / 1e9);
                System.out.printf(Locale.ROOT, "round %d at %.1f s: %.1f tokens per CPU-second, %.1f per second%n",
                        n, uptime(), rates[n - 1], tokens / (wall / 1e9));
            }
            double[] last = Arrays.copyOfRange(rates, n - 5, n);
            Arrays.sort(last);
            System.out.printf(Locale.ROOT, "steady %.1f tokens per CPU-second (%s, %d threads, last 5 of %d rounds)%n",
                    last[2], model.getFileName(), threads, n);
        }
    }

    private static double uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    }

    /** CPU time of all live Java threads (the decoding thread and the pool's workers). */
    private static long javaCpu(ThreadMXBean mx) {
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
