package dev.llmplatform.engine;

import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.KernelWarmUp;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gets a freshly loaded model's code compiled before its first request. Until C2 has compiled the
 * kernels, the first tokens run them interpreted or in C1 code over a gigabyte of weights (several
 * seconds for a 1B model). So each weight type's kernels are first run many times on a small random
 * matrix ({@link KernelWarmUp}), which reaches the compile thresholds quickly; then a few real forward
 * passes (a short prompt and some decode steps on a throw-away sequence) compile the rest of the pass —
 * the pool, norms, rotary embedding, attention, the KV cache — with the model's own shapes.
 */
final class WarmUp {
    /** The real passes: a prompt of this many tokens, then this many decode steps. */
    private static final int PROMPT_TOKENS = 16;
    private static final int DECODE_STEPS = 8;

    private WarmUp() {
    }

    static void run(Transformer model) {
        Map<GgmlType, Boolean> types = new EnumMap<>(GgmlType.class);
        for (WeightMatrix m : model.matrices()) {
            types.put(m.type(), m.isInterleaved());
        }
        types.forEach(KernelWarmUp::run);
        warmForwardPass(model);
    }

    /** A short prompt and a few decode steps through the real model, on a sequence thrown away after. */
    private static void warmForwardPass(Transformer model) {
        Sequence seq = new Sequence(model, PROMPT_TOKENS + DECODE_STEPS, PROMPT_TOKENS);
        SplittableRandom random = new SplittableRandom(2);
        int[] prompt = new int[PROMPT_TOKENS];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = random.nextInt(model.vocabularySize());
        }
        seq.append(prompt);
        for (int i = 0; i < DECODE_STEPS; i++) {
            seq.append(random.nextInt(model.vocabularySize()));
        }
    }
}
