package dev.llmplatform.engine.tensor.bench;

import dev.llmplatform.engine.tensor.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The quick (non-JMH) twin of {@link MemoryBandwidthBenchmark}: GB/s of streaming vector reads of a
 * buffer much larger than the caches, on the engine's worker pool.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.llmplatform.engine.tensor.bench.StreamingReadBandwidth THREADS [MiB] [SECONDS]
 * </pre>
 */
public final class StreamingReadBandwidth {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final long CHUNK = 1 << 20;

    private StreamingReadBandwidth() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        try (Parallel parallel = new Parallel(threads)) {
            run(parallel, mib, seconds);
        }
    }

    private static void run(Parallel parallel, long mib, double seconds) {
        int threads = parallel.threads();
        MemorySegment buffer = Arena.global().allocate(mib << 20, 4096);
        buffer.fill((byte) 1);
        long[] sink = new long[1];
        Runnable pass = () -> parallel.forRange((int) (buffer.byteSize() / CHUNK), 1, (start, end) -> {
            LongVector acc = LongVector.zero(SPECIES);
            for (long off = start * CHUNK; off < end * CHUNK; off += SPECIES.vectorByteSize()) {
                acc = acc.add(LongVector.fromMemorySegment(SPECIES, buffer, off, ByteOrder.LITTLE_ENDIAN));
            }
            sink[0] += acc.reduceLanes(VectorOperators.ADD);
        });
        for (int i = 0; i < 3; i++) {
            pass.run();
        }
        long start = System.nanoTime();
        int passes = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
            pass.run();
            passes++;
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("streaming read, %d MiB, threads=%d: %.2f GB/s%s%n", mib, threads,
                buffer.byteSize() * (double) passes / s / 1e9, sink[0] == 42 ? " " : "");
    }
}
