package dev.llmplatform.engine.tensor.bench;

import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.Kernels;
import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.Quantizer;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * A quick, dependency-free throughput check of {@link WeightMatrix#matvec} and {@link WeightMatrix#matmul}
 * (JMH gives the careful numbers; this one answers "how many GB/s" in a few seconds):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   [-Dllmp.kernels=scalar] dev.llmplatform.engine.tensor.bench.MatvecThroughput TYPE ROWS COLS THREADS [BATCH] [SECONDS] [WARM-UP SECONDS] [PROMPT SECONDS]
 * </pre>
 *
 * With PROMPT SECONDS, products of {@value #PROMPT_BATCH} inputs (a prompt batch, which runs the prompt kernels)
 * run that long before the warm-up, as {@code llmp bench} runs its prompts before its decode: what the JIT
 * compiled for the one can change how the other is compiled.
 */
public final class MatvecThroughput {
    private static final int PROMPT_BATCH = 64;

    private MatvecThroughput() {
    }

    public static void main(String[] args) {
        GgmlType type = GgmlType.valueOf(args.length > 0 ? args[0] : "Q8_0");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 8192;
        int cols = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        double seconds = args.length > 5 ? Double.parseDouble(args[5]) : 3;
        double warmUp = args.length > 6 ? Double.parseDouble(args[6]) : 2;
        double prompt = args.length > 7 ? Double.parseDouble(args[7]) : 0;
        try (ComputeResources resources = new ComputeResources(threads)) {
            WeightMatrix w = randomMatrix(type, rows, cols, Arena.global(), resources);
            if (prompt > 0) {
                runPrompts(w, rows, cols, prompt);
            }
            run(w, type, rows, cols, threads, batch, seconds, warmUp);
        }
    }

    private static void runPrompts(WeightMatrix w, int rows, int cols, double seconds) {
        float[] x = new float[PROMPT_BATCH * cols];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] out = new float[PROMPT_BATCH * rows];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int calls = 0;
        while (System.nanoTime() < end) {
            w.matmul(x, PROMPT_BATCH, out);
            calls++;
        }
        System.out.printf("%d prompt products of %d inputs first%n", calls, PROMPT_BATCH);
    }

    private static void run(WeightMatrix w, GgmlType type, int rows, int cols, int threads, int batch, double seconds, double warmUp) {
        float[] x = new float[batch * cols];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] out = new float[batch * rows];
        long bytes = w.data().byteSize();
        // Warm-up: let C2 compile the kernels (a large kernel under load can take several seconds).
        long warmEnd = System.nanoTime() + (long) (warmUp * 1e9);
        while (System.nanoTime() < warmEnd) {
            w.matmul(x, batch, out);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int calls = 0;
        long now;
        do {
            w.matmul(x, batch, out);
            calls++;
            now = System.nanoTime();
        } while (now < end);
        double s = (now - start) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf("%s %dx%d threads=%d batch=%d kernels=%s: %.3f ms/call, %.2f GB/s of weights, %.3g rows/s, %.2f GFLOP/s%n",
                type, rows, cols, threads, batch, Kernels.implementation(), 1e3 * s / calls, bytes * (double) calls / s / 1e9,
                (double) rows * batch * calls / s, 2.0 * rows * cols * batch * calls / s / 1e9);
        if (threads == 1) {
            // On a shared machine wall time includes time the thread waited for a core; CPU time doesn't.
            System.out.printf("  per CPU-second of the calling thread (%.0f%% of wall time): %.2f GB/s, %.2f GFLOP/s%n",
                    100 * cpu / s, bytes * (double) calls / cpu / 1e9, 2.0 * rows * cols * batch * calls / cpu / 1e9);
        }
    }

    /** A rows × cols matrix of Gaussian weights quantized to {@code type}, in native memory. */
    public static WeightMatrix randomMatrix(GgmlType type, int rows, int cols, Arena arena, ComputeResources resources) {
        long rowBytes = type.byteSize(cols);
        MemorySegment data = arena.allocate(rowBytes * rows, 64);
        SplittableRandom random = new SplittableRandom(42);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) (random.nextGaussian() * 0.02);
            }
            MemorySegment.copy(MemorySegment.ofArray(Quantizer.quantize(type, row)), 0, data, r * rowBytes, rowBytes);
        }
        return new WeightMatrix("bench", type, data, rows, cols, resources);
    }
}
