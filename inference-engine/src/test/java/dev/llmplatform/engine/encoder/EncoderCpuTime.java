package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The native encoder on one thread, timed in CPU time of that thread (meaningful on a shared machine,
 * where {@link EmbeddingBenchmark}'s wall clock is not): the whole of MiniLM on EmbeddingBenchmark's short
 * and long batches, and {@link SelfAttention} alone on MiniLM's shapes (32 × 256 tokens). Best of ROUNDS.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp $CP dev.llmplatform.engine.encoder.EncoderCpuTime [ROUNDS]
 * </pre>
 */
public final class EncoderCpuTime {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private EncoderCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (SentenceEmbedder model = SentenceEmbedder.loadDefault(1)) {
            Random rnd = new Random(42);
            int[][] shortIds = new int[32][];
            int[][] longIds = new int[32][];
            for (int i = 0; i < 32; i++) {
                shortIds[i] = model.tokenize(ReferenceTexts.sentence(rnd, 5 + rnd.nextInt(15)));
                longIds[i] = model.tokenize(ReferenceTexts.sentence(rnd, 300 + rnd.nextInt(100)));
            }
            for (int w = 0; w < 3; w++) {
                model.embedTokens(shortIds);
                model.embedTokens(longIds);
            }
            System.out.printf(Locale.ROOT, "short batch: %.1f sentences per CPU-second%n", 32 / best(rounds, () -> model.embedTokens(shortIds)));
            System.out.printf(Locale.ROOT, "long  batch: %.1f sentences per CPU-second%n", 32 / best(rounds, () -> model.embedTokens(longIds)));
        }
        attention(rounds, 32, 256);
    }

    /** SelfAttention over {@code sequences × len} tokens of random projections, MiniLM's shapes (12 heads of 32 dimensions). */
    private static void attention(int rounds, int sequences, int len) {
        BertConfig config = new BertConfig(100, 384, 6, 12, 1536, 512, 2, 1e-12f);
        int h = config.hiddenSize();
        int[] offsets = new int[sequences + 1];
        for (int s = 0; s < sequences; s++) {
            offsets[s + 1] = offsets[s] + len;
        }
        int tokens = offsets[sequences];
        SplittableRandom rnd = new SplittableRandom(3);
        float[] qkv = new float[tokens * 3 * h];
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = (float) rnd.nextGaussian();
        }
        float[] context = new float[tokens * h];
        try (Parallel pool = new Parallel(1)) {
            SelfAttention attention = new SelfAttention(config, pool);
            float[] panels = new float[attention.panelsLength(offsets)];
            EncoderWorkspace workspace = new EncoderWorkspace(tokens);
            for (int w = 0; w < 5; w++) {
                attention.run(qkv, panels, offsets, context, workspace);
            }
            double seconds = best(Math.max(rounds, 7), () -> attention.run(qkv, panels, offsets, context, workspace));
            double flops = 4.0 * sequences * len * len * h;
            System.out.printf(Locale.ROOT, "attention %d × %d tokens: %.1f ms CPU, %.1f GFLOP/s%n", sequences, len,
                    seconds * 1e3, flops / seconds / 1e9);
        }
    }

    private static double best(int rounds, Runnable run) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t = CPU.getCurrentThreadCpuTime();
            run.run();
            best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t) / 1e9);
        }
        return best;
    }
}
