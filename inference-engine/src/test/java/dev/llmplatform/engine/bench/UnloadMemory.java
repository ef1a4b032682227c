package dev.llmplatform.engine.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows that unloading a model gives its memory back: the process's resident set (VmRSS) before a load,
 * after it (and a few decode steps), and after {@link Engine#close()} and a GC, for several load/close
 * cycles in one process. Usage: {@code UnloadMemory MODEL.gguf [threads] [cycles]}.
 */
public final class UnloadMemory {
    private UnloadMemory() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Parallel.defaultThreads();
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf(Locale.ROOT, "%s (%.0f MB file), %d threads%n", model.getFileName(), Files.size(model) / 1e6, threads);
        System.out.printf(Locale.ROOT, "start: RSS %.0f MB%n", rssMb());
        for (int cycle = 1; cycle <= cycles; cycle++) {
            double before = settledRssMb();
            Engine engine = Engine.load(model, threads);
            Sequence seq = engine.newSequence(64);
            seq.append(new int[] {1, 2, 3, 4});
            for (int i = 0; i < 8; i++) {
                seq.append(5 + i);
            }
            double loaded = rssMb();
            long copies = engine.allocatedBytes();
            engine.close();
            double closedNow = rssMb();
            double closed = settledRssMb();
            System.out.printf(Locale.ROOT, "cycle %d: RSS before load %.0f MB, after load + 12 tokens %.0f MB"
                            + " (model's off-heap copies %.0f MB), right after close %.0f MB, after a GC %.0f MB%n",
                    cycle, before, loaded, copies / 1e6, closedNow, closed);
        }
    }

    /** RSS after a full GC, so that garbage does not hide what close gave back. */
    private static double settledRssMb() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return rssMb();
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1e3;
                }
            }
            throw new IllegalStateException("no VmRSS line in /proc/self/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
