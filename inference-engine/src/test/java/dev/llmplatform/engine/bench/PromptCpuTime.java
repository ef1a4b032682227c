package dev.llmplatform.engine.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.Sequence;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prompt processing speed per CPU-second of the whole process, on {@code threads} threads: on a machine
 * shared with other work wall-clock tokens/s move with the load; process CPU time also counts the
 * workers' spinning and the wait for the slowest of them, which a one-thread figure hides. One unmeasured
 * pass, then {@code passes} measured prompts of {@code tokens} tokens from an empty context (as
 * {@code llmp bench -p N -n 0}), each printed with its wall-clock rate.
 * Usage: {@code PromptCpuTime MODEL.gguf [threads] [tokens] [passes]}.
 */
public final class PromptCpuTime {
    private PromptCpuTime() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Engine engine = Engine.load(model, threads)) {
            int[] input = DecodeCpuTime.promptInput(tokens, engine.model().vocabularySize());
            Sequence prompt = new Sequence(engine.model(), tokens, Math.min(tokens, 512));
            StringBuilder line = new StringBuilder();
            for (int p = -1; p < passes; p++) {
                prompt.truncate(0);
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                prompt.append(input);
                wall = System.nanoTime() - wall;
                cpu = os.getProcessCpuTime() - cpu;
                if (p >= 0) {
                    line.append(String.format(Locale.ROOT, " %.1f (wall %.1f)", tokens / (cpu / 1e9), tokens / (wall / 1e9)));
                }
            }
            System.out.printf(Locale.ROOT, "%s, %d threads, pp%d tokens per process CPU-second:%s; load %.2f%n",
                    model.getFileName(), threads, tokens, line, os.getSystemLoadAverage());
        }
    }
}
