package dev.llmplatform.engine.runtime;

import java.util.Map;

/**
 * How to pick each next token. Neutral values switch a stage off: temperature ≤ 0 is greedy, topK 0,
 * topP 1, minP 0, repetitionPenalty 1, frequency/presence penalty 0.
 *
 * @param penaltyLastN how many recent tokens (prompt included) the penalties look at; -1 for all
 * @param logitBias    added to the logit of each listed token id (−∞ bans it)
 * @param seed         seeds the random draw: the same seed, input and parameters give the same
 *                     output; null for a fresh random seed
 */
public record SamplingParams(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        float frequencyPenalty,
        float presencePenalty,
        int penaltyLastN,
        Map<Integer, Float> logitBias,
        Long seed) {

    public SamplingParams {
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be ≥ 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min_p must be in [0, 1], got " + minP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition penalty must be > 0, got " + repetitionPenalty);
        }
        if (Float.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature is NaN");
        }
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
    }

    /** Always the most likely token. */
    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(), null);
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05. */
    public static SamplingParams defaults() {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, Map.of(), null);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(temperature, k, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingParams withTopP(float p) {
        return new SamplingParams(temperature, topK, p, minP, repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingParams withMinP(float p) {
        return new SamplingParams(temperature, topK, topP, p, repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN, logitBias, seed);
    }

    public SamplingParams withPenalties(float repetition, float frequency, float presence, int lastN) {
        return new SamplingParams(temperature, topK, topP, minP, repetition, frequency, presence, lastN, logitBias, seed);
    }

    public SamplingParams withLogitBias(Map<Integer, Float> bias) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN, bias, seed);
    }

    public SamplingParams withSeed(Long s) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, frequencyPenalty, presencePenalty, penaltyLastN, logitBias, s);
    }

    /** No filtering at all: plain softmax sampling at this temperature. */
    public SamplingParams unfiltered() {
        return new SamplingParams(temperature, 0, 1f, 0f, 1f, 0f, 0f, penaltyLastN, Map.of(), seed);
    }
}
