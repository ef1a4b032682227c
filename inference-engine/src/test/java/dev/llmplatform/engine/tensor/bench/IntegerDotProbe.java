package dev.llmplatform.engine.tensor.bench;

import dev.llmplatform.engine.tensor.Simd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A first measurement for integer prompt kernels: Q8_0-style dot products (32 int8 weights per block
 * with one scale, activations quantized to int8 per block of 32 as llama.cpp's q8 inputs) computed
 * three ways, on L2-resident rows, one thread, timed in that thread's CPU time (fair on a loaded
 * machine):
 * <ul>
 *   <li>{@code float}: weights widened to floats, one FMA per lane against float activations — the
 *       shape of today's interleaved kernels;</li>
 *   <li>{@code vector-int16}: bytes widened to shorts, multiplied in 16 bits (|w·x| ≤ 127·127 fits), the
 *       products widened to ints and added: the Vector API spelling with no dot-product operation;</li>
 *   <li>{@code superword-madd}: a plain loop over {@code short} arrays written as the pair pattern
 *       {@code a[2i]·b[2i] + a[2i+1]·b[2i+1]} that C2's superword vectoriser turns into
 *       {@code vpmaddwd} (fused to {@code vpdpwssd} where AVX512_VNNI is present) — weights and
 *       activations stored as shorts.</li>
 * </ul>
 * Every variant's result is checked against an exact integer sum (the float one within its final
 * rounding), so a wrong kernel cannot report a speed. Reported: giga multiply-adds per CPU-second.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.tensor.bench.IntegerDotProbe [ROWS] [COLS] [SECONDS]
 * </pre>
 */
public final class IntegerDotProbe {
    private static final int BLOCK = 32;
    private static final VectorSpecies<Float> F = Simd.F;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;

    private IntegerDotProbe() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        SplittableRandom random = new SplittableRandom(3);
        byte[] w = new byte[rows * cols];
        byte[] x = new byte[cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (byte) (random.nextInt(255) - 127);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (random.nextInt(255) - 127);
        }
        short[] ws = new short[w.length];
        short[] xs = new short[x.length];
        float[] xf = new float[x.length];
        for (int i = 0; i < w.length; i++) {
            ws[i] = w[i];
        }
        for (int i = 0; i < x.length; i++) {
            xs[i] = x[i];
            xf[i] = x[i];
        }
        short[][] wRows = new short[rows][];
        for (int r = 0; r < rows; r++) {
            wRows[r] = java.util.Arrays.copyOfRange(ws, r * cols, (r + 1) * cols);
        }
        int[] pairs = new int[cols / 2];
        long[] exact = new long[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                exact[r] += w[r * cols + i] * x[i];
            }
        }
        System.out.printf(Locale.ROOT, "%d rows × %d columns (%d KiB of int8 weights), float species %d lanes%n",
                rows, cols, rows * cols / 1024, F.length());
        for (int round = 0; round < 2; round++) { // the first round warms up all three
            report("float", round, seconds, rows, cols, exact, r -> floatDot(w, r * cols, xf, cols));
            report("vector-int16", round, seconds, rows, cols, exact, r -> vectorInt16Dot(w, r * cols, x, cols));
            report("superword-madd", round, seconds, rows, cols, exact, r -> superwordDot(wRows[r], xs, pairs));
        }
    }

    interface RowDot {
        double dot(int row);
    }

    private static void report(String name, int round, double seconds, int rows, int cols, long[] exact, RowDot kernel) {
        for (int r = 0; r < rows; r++) {
            // The integer variants are exact; the float one may round the final lane sum (above 2^24).
            if (Math.abs(kernel.dot(r) - exact[r]) > 1e-6 * Math.abs(exact[r]) + (name.equals("float") ? 8 : 0)) {
                throw new AssertionError(name + ": row " + r + " gives " + kernel.dot(r) + ", exact " + exact[r]);
            }
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long start = cpu.getCurrentThreadCpuTime();
        long passes = 0;
        double sink = 0;
        while (cpu.getCurrentThreadCpuTime() - start < seconds * 1e9) {
            for (int r = 0; r < rows; r++) {
                sink += kernel.dot(r);
            }
            passes++;
        }
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - start) / 1e9;
        if (round > 0) {
            System.out.printf(Locale.ROOT, "%-15s %7.2f G multiply-adds per CPU-second  (checksum %.0f)%n", name,
                    passes * (double) rows * cols / cpuSeconds / 1e9, sink);
        }
    }

    /** Weights widened to floats, FMA against float activations, a block's sum scaled once (scales are 1 here). */
    private static double floatDot(byte[] w, int off, float[] x, int cols) {
        int lanes = F.length();
        VectorSpecies<Byte> bytes = VectorSpecies.of(byte.class, VectorShape.forBitSize(lanes * 8));
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols; b += BLOCK) {
            FloatVector block = FloatVector.zero(F);
            for (int i = b; i < b + BLOCK; i += lanes) {
                FloatVector wf = (FloatVector) ByteVector.fromArray(bytes, w, off + i).convertShape(VectorOperators.B2F, F, 0);
                block = wf.fma(FloatVector.fromArray(F, x, i), block);
            }
            acc = block.fma(FloatVector.broadcast(F, 1f), acc); // the per-block scale product
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** 32 bytes → 32 shorts, multiplied in 16 bits, widened to two int vectors and added; exact per block. */
    private static double vectorInt16Dot(byte[] w, int off, byte[] x, int cols) {
        IntVector acc = IntVector.zero(I16);
        for (int b = 0; b < cols; b += BLOCK) {
            ShortVector ws = (ShortVector) ByteVector.fromArray(B32, w, off + b).convertShape(VectorOperators.B2S, S32, 0);
            ShortVector xs = (ShortVector) ByteVector.fromArray(B32, x, b).convertShape(VectorOperators.B2S, S32, 0);
            ShortVector p = ws.mul(xs);
            IntVector lo = (IntVector) p.convertShape(VectorOperators.S2I, I16, 0);
            IntVector hi = (IntVector) p.convertShape(VectorOperators.S2I, I16, 1);
            acc = acc.add(lo).add(hi); // a block's integer sum; a real kernel scales it here
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The multiply-add-pairs loop C2 maps to vpmaddwd / vpdpwssd — as a store into {@code pairs} (the form
     * its superword pass matches; written as a running sum it stayed scalar, 1.8 G/s), then an int sum.
     */
    private static double superwordDot(short[] w, short[] x, int[] pairs) {
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = w[2 * i] * x[2 * i] + w[2 * i + 1] * x[2 * i + 1];
        }
        int sum = 0;
        for (int p : pairs) {
            sum += p;
        }
        return sum;
    }
}
