package dev.llmplatform.engine.encoder.bench;

import dev.llmplatform.engine.encoder.F32Gemm;
import dev.llmplatform.engine.encoder.PackedMatrix;
import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Whether the encoder could run its projections on the decoder's {@link WeightMatrix#matmul} instead of
 * its own {@link F32Gemm}: the same F32 product (MiniLM's shapes, 32 texts × 256 tokens = 8192 rows) on
 * one thread, timed in CPU time of that thread (fair on a loaded machine), alternating the two.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.encoder.bench.EncoderGemmVersusDecoderMatmul [TOKENS] [ROUNDS]
 * </pre>
 */
public final class EncoderGemmVersusDecoderMatmul {
    private EncoderGemmVersusDecoderMatmul() {
    }

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // MiniLM-L6: hidden 384; fused QKV 384→1152, output 384→384, up 384→1536, down 1536→384.
        int[][] shapes = {{384, 1152}, {384, 384}, {384, 1536}, {1536, 384}};
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(7);
        try (ComputeResources resources = new ComputeResources(1)) {
            for (int[] shape : shapes) {
                int in = shape[0];
                int out = shape[1];
                float[] w = new float[in * out]; // output-major: row r holds output r's weights
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) random.nextGaussian();
                }
                float[] x = new float[tokens * in];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                PackedMatrix packed = PackedMatrix.fromOutputMajor(w, in, out, new float[out]);
                WeightMatrix matrix = new WeightMatrix("w", GgmlType.F32, MemorySegment.ofArray(w), out, in, resources);
                float[] c1 = new float[tokens * out];
                float[] c2 = new float[tokens * out];
                double gemmBest = Double.MAX_VALUE;
                double matmulBest = Double.MAX_VALUE;
                for (int r = 0; r < rounds; r++) {
                    long t = cpu.getCurrentThreadCpuTime();
                    F32Gemm.multiply(resources.parallel(), x, tokens, packed, F32Gemm.Activation.NONE, c1);
                    gemmBest = Math.min(gemmBest, (cpu.getCurrentThreadCpuTime() - t) / 1e9);
                    t = cpu.getCurrentThreadCpuTime();
                    matrix.matmul(x, tokens, c2);
                    matmulBest = Math.min(matmulBest, (cpu.getCurrentThreadCpuTime() - t) / 1e9);
                }
                double maxDiff = 0;
                for (int i = 0; i < c1.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(c1[i] - c2[i]));
                }
                double flops = 2.0 * tokens * in * out;
                System.out.printf(Locale.ROOT, "%4d→%-4d × %d tokens: encoder F32Gemm %.1f GFLOP/s, decoder WeightMatrix.matmul %.1f GFLOP/s"
                                + " (%.2f×; max |diff| %.2g)%n", in, out, tokens, flops / gemmBest / 1e9,
                        flops / matmulBest / 1e9, gemmBest / matmulBest, maxDiff);
            }
        }
    }
}
