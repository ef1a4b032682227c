package dev.llmplatform.engine.runtime;

/** The outcome of a whole generation: the text (stop string excluded), the generated ids and why it ended. */
public record GenerationResult(String text, int[] tokens, FinishReason reason, GenerationStats stats) {
}
