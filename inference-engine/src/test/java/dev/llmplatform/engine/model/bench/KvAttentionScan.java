package dev.llmplatform.engine.model.bench;

import dev.llmplatform.engine.model.KvCache;
import dev.llmplatform.engine.model.KvType;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The attention work of one decode step over a long context, for each KV cache type, on one thread:
 * for every layer and KV head, the q·k scores over all positions and the weighted sum of values, a
 * tile of 64 positions at a time (as Transformer does). Isolates the cost of reading the cache from the
 * rest of the forward pass; prints the best of several repetitions.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.model.bench.KvAttentionScan [POSITIONS=2048] [LAYERS=8] [KV_HEADS=8] [HEAD_DIM=64]
 * </pre>
 */
public final class KvAttentionScan {
    private static final int TILE = 64;

    private KvAttentionScan() {
    }

    public static void main(String[] args) {
        int positions = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int kvHeads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int hd = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        SplittableRandom random = new SplittableRandom(3);
        float[] k = new float[kvHeads * hd];
        float[] v = new float[kvHeads * hd];
        float[] q = new float[hd];
        for (int i = 0; i < hd; i++) {
            q[i] = (float) random.nextGaussian();
        }
        float[] scores = new float[TILE];
        float[] out = new float[hd];
        for (int round = 0; round < 2; round++) {
            for (KvType type : KvType.values()) {
                KvCache cache = KvCache.create(type, layers, positions, kvHeads, hd, hd);
                cache.reserve(positions);
                for (int l = 0; l < layers; l++) {
                    for (int p = 0; p < positions; p++) {
                        for (int i = 0; i < k.length; i++) {
                            k[i] = (float) random.nextGaussian();
                            v[i] = (float) random.nextGaussian();
                        }
                        cache.store(l, p, k, 0, v, 0);
                    }
                }
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 30; rep++) {
                    long t0 = System.nanoTime();
                    for (int l = 0; l < layers; l++) {
                        for (int h = 0; h < kvHeads; h++) {
                            for (int t0pos = 0; t0pos < positions; t0pos += TILE) {
                                int t1 = Math.min(positions, t0pos + TILE);
                                cache.keyScores(l, h, t0pos, t1, q, 0, scores);
                                for (int i = 0; i < t1 - t0pos; i++) {
                                    scores[i] = 1f / (1 + i); // any weights: this measures the reads
                                }
                                cache.addValues(l, h, t0pos, t1, scores, out, 0);
                            }
                        }
                    }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                System.out.printf(Locale.ROOT, "round %d %-4s %d positions: %.3f ms per step (all layers, one query per KV head), cache %.1f MiB, %.1f GB/s%n",
                        round + 1, type, positions, best / 1e6, cache.byteSize() / 1048576.0, cache.byteSize() / (double) best);
            }
        }
    }
}
