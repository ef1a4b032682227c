package dev.llmplatform.engine.runtime;

/**
 * Token counts and timings of one generation.
 *
 * @param promptTokens       tokens in the prompt
 * @param cachedPromptTokens prompt tokens whose KV entries were reused from the sequence's previous turn
 * @param promptNanos        time to process the uncached prompt tokens
 * @param decodeNanos        time spent producing the generated tokens after the first
 */
public record GenerationStats(int promptTokens, int cachedPromptTokens, int completionTokens,
                              long promptNanos, long decodeNanos) {

    /** Prompt tokens processed per second (uncached ones). */
    public double promptTokensPerSecond() {
        int n = promptTokens - cachedPromptTokens;
        return promptNanos > 0 ? n * 1e9 / promptNanos : 0;
    }

    /** Generated tokens per second, not counting the first (which comes from the prompt pass). */
    public double decodeTokensPerSecond() {
        int n = completionTokens - 1;
        return decodeNanos > 0 && n > 0 ? n * 1e9 / decodeNanos : 0;
    }
}
