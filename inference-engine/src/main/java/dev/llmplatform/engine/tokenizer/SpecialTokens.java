package dev.llmplatform.engine.tokenizer;

/**
 * The special token ids and flags of a vocabulary ({@code tokenizer.ggml.*}); -1 where absent.
 *
 * @param eot end-of-turn token (e.g. {@code <|eot_id|>}), which also ends generation
 */
public record SpecialTokens(int bos, int eos, int eot, int unknown, int padding, boolean addBos, boolean addEos) {

    /** True if generation stops at this token. */
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && (id == eos || id == eot);
    }
}
