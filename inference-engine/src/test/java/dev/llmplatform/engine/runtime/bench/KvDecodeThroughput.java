package dev.llmplatform.engine.runtime.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.model.KvType;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.Parallel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode speed at a long context for each KV cache type: a random prompt of PROMPT tokens is prefilled,
 * then DECODE greedy tokens are decoded one at a time; prints prefill and decode tok/s and the cache size.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.runtime.bench.KvDecodeThroughput MODEL.gguf|synthetic [PROMPT=1500] [DECODE=64] [THREADS] [ROUNDS=2]
 * </pre>
 * The first round warms the JIT up; on a shared machine quote the best of several rounds (printed last). {@code synthetic}
 * writes a random llama-shaped model whose KV cache outweighs its weights at long contexts (8 layers,
 * dim 512, 8 KV heads of 64: 32 KiB of F32 cache per token against 84 MB of F32 weights), so decode
 * speed there is mostly attention over the cache.
 */
public final class KvDecodeThroughput {
    private KvDecodeThroughput() {
    }

    public static void main(String[] args) {
        Path model = args[0].equals("synthetic") ? syntheticModel() : Path.of(args[0]);
        int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        int decode = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Parallel.defaultThreads();
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        try (Engine engine = Engine.load(model, threads)) {
            int vocab = engine.model().vocabularySize();
            int[] tokens = new SplittableRandom(42).ints(prompt, 3, vocab).toArray();
            java.util.Map<KvType, Double> best = new java.util.EnumMap<>(KvType.class);
            for (int round = 1; round <= rounds; round++) {
                for (KvType type : KvType.values()) {
                    Sequence seq = engine.newSequence(prompt + decode, type);
                    long t0 = System.nanoTime();
                    float[] logits = seq.append(tokens);
                    long t1 = System.nanoTime();
                    for (int i = 0; i < decode; i++) {
                        logits = seq.append(argmax(logits));
                    }
                    long t2 = System.nanoTime();
                    System.out.printf(Locale.ROOT, "round %d %-4s prefill %d tok %.1f tok/s, decode %d tok at ctx %d..%d: %.2f tok/s, KV cache %.1f MiB%n",
                            round, type, prompt, prompt / ((t1 - t0) / 1e9), decode, prompt, prompt + decode,
                            decode / ((t2 - t1) / 1e9), seq.kvCacheBytes() / (1024.0 * 1024));
                    best.merge(type, decode / ((t2 - t1) / 1e9), Math::max);
                }
            }
            best.forEach((type, tps) -> System.out.printf(Locale.ROOT, "best decode %-4s %.2f tok/s%n", type, tps));
        }
    }

    private static Path syntheticModel() {
        int layers = 8;
        int dim = 512;
        int ffn = 1024;
        int vocab = 512;
        SplittableRandom random = new SplittableRandom(5);
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .putUint32("llama.block_count", layers)
                .putUint32("llama.embedding_length", dim)
                .putUint32("llama.feed_forward_length", ffn)
                .putUint32("llama.attention.head_count", 8)
                .putUint32("llama.attention.head_count_kv", 8)
                .putUint32("llama.context_length", 8192)
                .put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        w.addF32("token_embd.weight", new long[] {dim, vocab}, randoms(random, vocab * dim, 0.5));
        w.addF32("output_norm.weight", new long[] {dim}, ones(dim));
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            w.addF32(b + "attn_norm.weight", new long[] {dim}, ones(dim));
            w.addF32(b + "ffn_norm.weight", new long[] {dim}, ones(dim));
            for (String m : new String[] {"attn_q", "attn_k", "attn_v", "attn_output"}) {
                w.addF32(b + m + ".weight", new long[] {dim, dim}, randoms(random, dim * dim, 0.05));
            }
            w.addF32(b + "ffn_gate.weight", new long[] {dim, ffn}, randoms(random, dim * ffn, 0.05));
            w.addF32(b + "ffn_up.weight", new long[] {dim, ffn}, randoms(random, dim * ffn, 0.05));
            w.addF32(b + "ffn_down.weight", new long[] {ffn, dim}, randoms(random, dim * ffn, 0.05));
        }
        try {
            Path file = Files.createTempFile("kv-bench", ".gguf");
            file.toFile().deleteOnExit();
            w.write(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] randoms(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
