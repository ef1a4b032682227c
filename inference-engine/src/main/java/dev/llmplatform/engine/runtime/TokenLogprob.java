package dev.llmplatform.engine.runtime;

/** A token id with its log-probability. */
public record TokenLogprob(int id, float logprob) {
}
