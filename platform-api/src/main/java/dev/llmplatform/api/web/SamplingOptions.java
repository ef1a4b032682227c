package dev.llmplatform.api.web;

import dev.llmplatform.engine.runtime.SamplingParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The sampling parameters chat and text completions share, read and range-checked as OpenAI documents
 * them. Defaults are OpenAI's (temperature 1, top_p 1, no penalties); {@code top_k} and {@code min_p}
 * are extensions (as in llama.cpp's server), off unless given.
 *
 * @param topLogprobs −1 for no log-probabilities, else how many alternatives per token (0 for just the chosen one)
 */
public record SamplingOptions(SamplingParams params, List<String> stop, int n, int topLogprobs) {
    /** Most alternatives per token OpenAI allows. */
    static final int MAX_TOP_LOGPROBS = 20;

    /**
     * @param vocabularySize for checking {@code logit_bias} token ids
     * @param maxN           the most choices one request may ask for
     */
    static SamplingOptions read(RequestReader r, int vocabularySize, int maxN, int topLogprobs) {
        float temperature = (float) r.number("temperature", 1.0, 0, 2);
        float topP = (float) r.number("top_p", 1.0, 0, 1);
        if (topP == 0f) {
            topP = Float.MIN_NORMAL; // top_p 0 means "only the most likely", which this keeps
        }
        int topK = r.integer("top_k", 0, 0, Integer.MAX_VALUE);
        float minP = (float) r.number("min_p", 0, 0, 1);
        float presence = (float) r.number("presence_penalty", 0, -2, 2);
        float frequency = (float) r.number("frequency_penalty", 0, -2, 2);
        float repetition = (float) r.number("repetition_penalty", 1, 0.01, 10);
        Long seed = r.longValue("seed");
        int n = r.integer("n", 1, 1, maxN);
        List<String> stop = r.stringOrList("stop", 16);
        Map<Integer, Float> bias = new HashMap<>();
        JsonNode lb = r.get("logit_bias");
        if (lb != null) {
            if (!lb.isObject()) {
                throw ApiException.invalidRequest("'logit_bias' must be an object of token id to bias", "logit_bias");
            }
            for (Map.Entry<String, JsonNode> e : lb.properties()) {
                int id;
                try {
                    id = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw ApiException.invalidRequest("'logit_bias' keys must be token ids, got '" + e.getKey() + "'", "logit_bias");
                }
                if (id < 0 || id >= vocabularySize) {
                    throw ApiException.invalidRequest("'logit_bias' token id " + id + " is outside the vocabulary (0.."
                            + (vocabularySize - 1) + ")", "logit_bias");
                }
                if (!e.getValue().isNumber() || Math.abs(e.getValue().asDouble()) > 100) {
                    throw ApiException.invalidRequest("'logit_bias' values must be numbers between -100 and 100", "logit_bias");
                }
                bias.put(id, (float) e.getValue().asDouble());
            }
        }
        SamplingParams params = new SamplingParams(temperature, topK, topP, minP, repetition, frequency, presence, 64, bias, seed);
        return new SamplingOptions(params, stop, n, topLogprobs);
    }

    /** Choice {@code i}'s parameters: with a seed, each choice draws from its own seed, reproducibly. */
    SamplingParams forChoice(int i) {
        return params.seed() == null || i == 0 ? params : params.withSeed(params.seed() + i);
    }
}
