package dev.llmplatform.engine;

import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.Sequence;
import java.util.SplittableRandom;

/**
 * Gets a freshly loaded model's code compiled before its first request: until C2 has compiled the
 * kernels, the first tokens run them interpreted or in C1 code (no vector intrinsics), several times
 * slower. A short prompt and some decode steps on a throw-away sequence, through the model's own pool,
 * reach the compile thresholds with the model's real shapes. (Running the kernels on small synthetic
 * matrices instead was quicker, but C2 then compiled them for those shapes: decode stayed about a fifth
 * slower for good.)
 */
final class WarmUp {
    /** A prompt of this many tokens (the batched kernels), then this many decode steps (the single-input ones). */
    private static final int PROMPT_TOKENS = 16;
    private static final int DECODE_STEPS = 24;

    private WarmUp() {
    }

    static void run(Transformer model) {
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
