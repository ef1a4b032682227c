package dev.llmplatform.engine.runtime.bench;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.runtime.KvType;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.Parallel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode speed at a long context for each KV cache type: a random prompt of PROMPT tokens is prefilled,
 * then DECODE greedy tokens are decoded one at a time; prints prefill and decode tok/s and the cache size.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.runtime.bench.KvDecodeThroughput MODEL.gguf [PROMPT=1500] [DECODE=64] [THREADS] [ROUNDS=2]
 * </pre>
 * The first round warms the JIT up; the numbers of the last round are the ones to quote.
 */
public final class KvDecodeThroughput {
    private KvDecodeThroughput() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        int decode = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        if (args.length > 3) {
            Parallel.setThreads(Integer.parseInt(args[3]));
        }
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        try (Engine engine = Engine.load(model)) {
            int vocab = engine.model().vocabularySize();
            int[] tokens = new SplittableRandom(42).ints(prompt, 3, vocab).toArray();
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
                }
            }
        }
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
