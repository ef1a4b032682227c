package dev.llmplatform.engine.tensor.bench;

import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link WeightMatrix#matmul} at Llama-3.2-1B's FFN shape (8192 rows × 2048 columns) for each fast
 * weight type: batch 1 is a decode step (memory-bound: compare with {@link MemoryBandwidthBenchmark}),
 * larger batches are prompt processing (compute-bound). Weights ÷ time gives GB/s. Run with
 * {@code -jvmArgsAppend -Dllmp.kernels=scalar} for the plain kernels. See docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBenchmark {
    @Param({"Q8_0", "Q4_0", "Q4_K", "Q6_K", "F16", "BF16", "F32"})
    public String type;

    @Param({"1"})
    public int threads;

    @Param({"1", "16"})
    public int batch;

    @Param({"8192"})
    public int rows;

    @Param({"2048"})
    public int cols;

    private Arena arena;
    private ComputeResources resources;
    private WeightMatrix matrix;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        resources = new ComputeResources(threads);
        arena = Arena.ofShared();
        matrix = MatvecThroughput.randomMatrix(GgmlType.valueOf(type), rows, cols, arena, resources);
        x = new float[batch * cols];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        out = new float[batch * rows];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        resources.close();
    }

    @Benchmark
    public float[] matmul() {
        matrix.matmul(x, batch, out);
        return out;
    }
}
