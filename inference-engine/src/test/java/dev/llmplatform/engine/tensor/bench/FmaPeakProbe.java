package dev.llmplatform.engine.tensor.bench;

import dev.llmplatform.engine.tensor.Simd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The ceiling of any float kernel on this machine: fused multiply-adds on register-resident vectors,
 * twelve independent chains per thread (more than an FMA's latency times its issue rate, so the FMA
 * units never wait), no loads at all. What a prompt GEMM can reach in floats is below this; a peer's
 * prompt speed that implies more FLOP/s than this is reached with other instructions (integer
 * dot products), not by better blocking.
 *
 * <p>Reported per thread in CPU-seconds of that thread (fair on a shared machine) and for all threads
 * together in wall time. {@code -XX:MaxVectorSize=32} gives the 256-bit figure.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.tensor.bench.FmaPeakProbe [THREADS] [SECONDS]
 * </pre>
 */
public final class FmaPeakProbe {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int CHAINS = 12;
    private static final long STEPS_PER_ROUND = 1L << 22;

    private FmaPeakProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        // Warm-up so that C2 has compiled the loop before anything is timed.
        for (int i = 0; i < 20; i++) {
            chains(STEPS_PER_ROUND / 16);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] perThread = new double[threads];
        long[] stepsDone = new long[threads];
        float[] sink = new float[threads];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long cpu0 = mx.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long steps = 0;
                float s = 0;
                while (System.nanoTime() - wall0 < seconds * 1e9) {
                    s += chains(STEPS_PER_ROUND);
                    steps += STEPS_PER_ROUND;
                }
                double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
                perThread[id] = flops(steps) / cpu;
                stepsDone[id] = steps;
                sink[id] = s;
            });
            workers[t].start();
        }
        long wall0 = System.nanoTime();
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double perCpuSecond = 0;
        long steps = 0;
        for (int t = 0; t < threads; t++) {
            perCpuSecond += perThread[t] / threads;
            steps += stepsDone[t];
        }
        System.out.printf(Locale.ROOT, "%d-bit FMA peak: %.1f GFLOP per CPU-second per thread (mean of %d); "
                        + "all %d together %.1f GFLOP/s of wall time over %.1f s (checksum %.3g)%n",
                F.vectorBitSize(), perCpuSecond / 1e9, threads, threads, flops(steps) / wall / 1e9, wall, sink[0]);
    }

    /** FLOPs of {@code steps} rounds: {@link #CHAINS} FMAs of a vector, two operations per lane. */
    private static double flops(long steps) {
        return (double) steps * CHAINS * F.length() * 2;
    }

    /**
     * Twelve FMA chains for {@code steps} rounds. Multipliers just under 1 and a small addend keep the
     * values finite; every chain is consumed at the end so none is dead code. The receiver is the loop-invariant
     * multiplier, whose exact type C2 knows, rather than the loop-carried sum (see docs/benchmarks.md,
     * "The decode after a prompt").
     */
    private static float chains(long steps) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector a = FloatVector.broadcast(F, 1e-6f);
        FloatVector c0 = FloatVector.broadcast(F, 1f);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < steps; i++) {
            c0 = m.fma(c0, a);
            c1 = m.fma(c1, a);
            c2 = m.fma(c2, a);
            c3 = m.fma(c3, a);
            c4 = m.fma(c4, a);
            c5 = m.fma(c5, a);
            c6 = m.fma(c6, a);
            c7 = m.fma(c7, a);
            c8 = m.fma(c8, a);
            c9 = m.fma(c9, a);
            c10 = m.fma(c10, a);
            c11 = m.fma(c11, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
