package dev.llmplatform.engine.encoder;

/**
 * The weights of one post-LayerNorm BERT block.
 *
 * @param qkv        query, key and value projections fused into one {@code H × 3H} matrix (in that order)
 * @param attnOutput attention output projection {@code H × H}
 * @param attnNorm   LayerNorm after the attention residual
 * @param up         feed-forward up projection {@code H × I}, followed by GELU
 * @param down       feed-forward down projection {@code I × H}
 * @param outputNorm LayerNorm after the feed-forward residual
 */
public record BertLayer(PackedMatrix qkv, PackedMatrix attnOutput, LayerNormWeights attnNorm,
                        PackedMatrix up, PackedMatrix down, LayerNormWeights outputNorm) {
}
