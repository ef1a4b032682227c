package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.WeightMatrix;

/**
 * One transformer block: pre-norm attention and pre-norm feed-forward with residuals. Optional parts
 * are null: per-head Q/K norms (qwen3, gemma3), post-attention and post-FFN norms (gemma2/3).
 *
 * @param window sliding-window size for this layer's attention in tokens, 0 for full causal attention
 */
public record Layer(
        RmsNorm attnNorm,
        QkvProjection qkv,
        RmsNorm qNorm,
        RmsNorm kNorm,
        Rope rope,
        int window,
        WeightMatrix attnOutput,
        RmsNorm postAttnNorm,
        RmsNorm ffnNorm,
        FeedForward ffn,
        RmsNorm postFfnNorm) {
}
