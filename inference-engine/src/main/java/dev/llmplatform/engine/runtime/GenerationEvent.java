package dev.llmplatform.engine.runtime;

import java.util.List;

/** What a streaming generation reports, in order: one {@link Token} per generated token, then {@link Finished}. */
public sealed interface GenerationEvent {

    /**
     * A generated token.
     *
     * @param text        output text released at this step: may be empty (an incomplete UTF-8
     *                    character, or text held back while it could be the start of a stop string)
     *                    or include text of earlier tokens
     * @param logprob     the token's log-probability under the model's raw distribution, NaN unless
     *                    log-probabilities were requested
     * @param topLogprobs the most likely alternatives, empty unless requested
     */
    record Token(int id, String text, float logprob, List<TokenLogprob> topLogprobs) implements GenerationEvent {
    }

    /**
     * The end of the generation.
     *
     * @param text text still held back when generation ended, released now (usually empty)
     */
    record Finished(FinishReason reason, String text, GenerationStats stats) implements GenerationEvent {
    }
}
