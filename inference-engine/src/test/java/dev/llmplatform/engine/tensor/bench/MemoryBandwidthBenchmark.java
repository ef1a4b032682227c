package dev.llmplatform.engine.tensor.bench;

import static jdk.incubator.vector.VectorOperators.ADD;

import dev.llmplatform.engine.tensor.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;
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
 * Streaming-read bandwidth: sums a buffer far larger than the caches (1 GiB by default, like a 1B
 * model's weights) with vector loads, split over the engine's worker pool. Bytes ÷ time is the ceiling
 * for a memory-bound decode step: tokens/s ≤ GB/s ÷ model GB. See docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MemoryBandwidthBenchmark {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;

    @Param({"1024"})
    public int mebibytes;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Parallel parallel;
    private MemorySegment buffer;
    private final long[] partial = new long[64];

    @Setup(Level.Trial)
    public void setUp() {
        parallel = new Parallel(threads);
        arena = Arena.ofShared();
        buffer = arena.allocate((long) mebibytes << 20, 4096);
        buffer.fill((byte) 1); // touch every page so the measurement sees no page faults
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        parallel.close();
    }

    @Benchmark
    public long read() {
        long chunkBytes = 1 << 20;
        int chunks = (int) (buffer.byteSize() / chunkBytes);
        parallel.forRange(chunks, 1, (start, end) -> {
            LongVector acc = LongVector.zero(SPECIES);
            long stride = SPECIES.vectorByteSize();
            for (long off = start * chunkBytes; off < end * chunkBytes; off += stride) {
                acc = acc.add(LongVector.fromMemorySegment(SPECIES, buffer, off, ByteOrder.LITTLE_ENDIAN));
            }
            partial[start % partial.length] += acc.reduceLanes(ADD);
        });
        return partial[0];
    }
}
