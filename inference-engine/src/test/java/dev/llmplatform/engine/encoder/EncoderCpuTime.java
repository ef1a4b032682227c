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
            stages(model.encoder(), model, longIds, rounds);
        }
        attention(rounds, 32, 256);
    }

    private static final String[] STAGES = {"QKV GEMM", "attention", "output GEMM", "add+LayerNorm 1", "up GEMM+GELU",
        "down GEMM", "add+LayerNorm 2", "pooling"};

    /**
     * Where the long batch's CPU time goes: the encoder's layer loop (as {@link BertEncoder#encode} runs it) with a
     * CPU-time reading of this thread after every stage, summed over the layers; best round per stage.
     */
    private static void stages(BertEncoder encoder, SentenceEmbedder model, int[][] ids, int rounds) {
        BertConfig config = encoder.config();
        int h = config.hiddenSize();
        SelfAttention attention = new SelfAttention(config, encoder.parallel());
        double[] best = new double[STAGES.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int r = 0; r < rounds + 2; r++) {
            EncoderWorkspace workspace = new EncoderWorkspace(Integer.MAX_VALUE);
            BertEncoder.HiddenStates states = encoder.encode(ids, 0, workspace);
            int[] offsets = states.offsets();
            int tokens = offsets[offsets.length - 1];
            float[] x = states.values();
            float[] qkv = workspace.qkv(tokens, tokens * 3 * h);
            float[] panels = workspace.panels(tokens, attention.panelsLength(offsets));
            float[] context = workspace.context(tokens, tokens * h);
            float[] projected = workspace.projected(tokens, tokens * h);
            float[] ffn = workspace.ffn(tokens, tokens * config.intermediateSize());
            double[] spent = new double[STAGES.length];
            for (BertLayer layer : encoder.weights().layers()) {
                long t0 = CPU.getCurrentThreadCpuTime();
                F32Gemm.multiply(encoder.parallel(), x, tokens, layer.qkv(), F32Gemm.Activation.NONE, qkv);
                long t1 = CPU.getCurrentThreadCpuTime();
                attention.run(qkv, panels, offsets, context, workspace);
                long t2 = CPU.getCurrentThreadCpuTime();
                F32Gemm.multiply(encoder.parallel(), context, tokens, layer.attnOutput(), F32Gemm.Activation.NONE, projected);
                long t3 = CPU.getCurrentThreadCpuTime();
                encoder.addAndNormalize(projected, x, tokens, layer.attnNorm());
                long t4 = CPU.getCurrentThreadCpuTime();
                F32Gemm.multiply(encoder.parallel(), x, tokens, layer.up(), F32Gemm.Activation.GELU, ffn);
                long t5 = CPU.getCurrentThreadCpuTime();
                F32Gemm.multiply(encoder.parallel(), ffn, tokens, layer.down(), F32Gemm.Activation.NONE, projected);
                long t6 = CPU.getCurrentThreadCpuTime();
                encoder.addAndNormalize(projected, x, tokens, layer.outputNorm());
                long t7 = CPU.getCurrentThreadCpuTime();
                long[] t = {t0, t1, t2, t3, t4, t5, t6, t7};
                for (int i = 0; i < 7; i++) {
                    spent[i] += (t[i + 1] - t[i]) / 1e9;
                }
            }
            long p0 = CPU.getCurrentThreadCpuTime();
            float[] pooled = new float[h];
            for (int s = 0; s < ids.length; s++) {
                Pooling.MEAN.pool(states, s, pooled);
                Pooling.normalize(pooled);
            }
            spent[7] = (CPU.getCurrentThreadCpuTime() - p0) / 1e9;
            if (r >= 2) {
                for (int i = 0; i < STAGES.length; i++) {
                    best[i] = Math.min(best[i], spent[i]);
                }
            }
        }
        double total = 0;
        for (double b : best) {
            total += b;
        }
        System.out.printf(Locale.ROOT, "long batch by stage (ms CPU, best of %d, all %d layers):%n", rounds, config.layers());
        for (int i = 0; i < STAGES.length; i++) {
            System.out.printf(Locale.ROOT, "  %-16s %8.1f  %5.1f %%%n", STAGES[i], best[i] * 1e3, 100 * best[i] / total);
        }
        System.out.printf(Locale.ROOT, "  %-16s %8.1f%n", "sum", total * 1e3);
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
