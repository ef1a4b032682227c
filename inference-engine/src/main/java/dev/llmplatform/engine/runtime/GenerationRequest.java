package dev.llmplatform.engine.runtime;

import java.util.List;
import java.util.Set;

/**
 * What to generate.
 *
 * @param prompt      prompt token ids (BOS included if the model wants one)
 * @param maxTokens   the most tokens to generate
 * @param stop        strings that end generation; the text before the first match is kept
 * @param stopTokens  ids that end generation besides the model's end-of-generation tokens
 * @param topLogprobs -1: no log-probabilities; 0: the chosen token's; N: plus the N most likely
 * @param constraint  restricts which tokens may come next (structured output), or null
 */
public record GenerationRequest(int[] prompt, int maxTokens, SamplingParams sampling, List<String> stop,
                                Set<Integer> stopTokens, int topLogprobs, LogitsConstraint constraint) {

    public GenerationRequest {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("the prompt has no tokens");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be ≥ 0, got " + maxTokens);
        }
        prompt = prompt.clone();
        sampling = sampling == null ? SamplingParams.defaults() : sampling;
        stop = stop == null ? List.of() : List.copyOf(stop);
        stopTokens = stopTokens == null ? Set.of() : Set.copyOf(stopTokens);
    }

    public static GenerationRequest of(int[] prompt, int maxTokens, SamplingParams sampling) {
        return new GenerationRequest(prompt, maxTokens, sampling, List.of(), Set.of(), -1, null);
    }

    public GenerationRequest withStop(List<String> strings) {
        return new GenerationRequest(prompt, maxTokens, sampling, strings, stopTokens, topLogprobs, constraint);
    }

    public GenerationRequest withStopTokens(Set<Integer> ids) {
        return new GenerationRequest(prompt, maxTokens, sampling, stop, ids, topLogprobs, constraint);
    }

    public GenerationRequest withTopLogprobs(int n) {
        return new GenerationRequest(prompt, maxTokens, sampling, stop, stopTokens, n, constraint);
    }

    public GenerationRequest withConstraint(LogitsConstraint c) {
        return new GenerationRequest(prompt, maxTokens, sampling, stop, stopTokens, topLogprobs, c);
    }
}
