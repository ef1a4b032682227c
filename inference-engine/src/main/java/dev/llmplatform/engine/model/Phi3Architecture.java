package dev.llmplatform.engine.model;

/**
 * Phi-3: Q, K and V in one {@code attn_qkv} matrix and gate/up in one {@code ffn_up} matrix; NeoX
 * RoPE. Its {@code sliding_window} key is ignored, as the reference implementation does. The 128k
 * variants' LongRoPE has two sets of frequency factors: {@code rope_factors_short} for sequences
 * within {@code rope.scaling.original_context_length} and {@code rope_factors_long} beyond it (see
 * {@link Rope#longRope}); the magnitude correction is the file's {@code rope.scaling.attn_factor}.
 */
final class Phi3Architecture extends Architecture {
    @Override
    protected Rope rope(ModelWeights w, ModelConfig c) {
        float[] shortFactors = w.optionalVector("rope_factors_short.weight");
        float[] longFactors = w.optionalVector("rope_factors_long.weight");
        int originalContext = w.file().metadata().intOr(c.architecture() + ".rope.scaling.original_context_length", 0);
        if (shortFactors == null || longFactors == null || originalContext <= 0) {
            return super.rope(w, c);
        }
        return Rope.longRope(pairing(), c.ropeDim(), c.ropeBase(), c.ropeScaling(), shortFactors, longFactors,
                originalContext);
    }

    @Override
    protected float[] ropeFreqFactors(ModelWeights w) {
        float[] shortFactors = w.optionalVector("rope_factors_short.weight");
        return shortFactors != null ? shortFactors : super.ropeFreqFactors(w);
    }

    @Override
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope rope) {
        String p = "blk." + i + ".";
        int qkvRows = c.queryDim() + c.keyDim() + c.valueDim();
        return new Layer(
                w.norm(p + "attn_norm.weight", c.dim(), c.normEps()),
                new QkvProjection.Fused(w.matrix(p + "attn_qkv.weight", qkvRows, c.dim()),
                        c.queryDim(), c.keyDim(), c.valueDim()),
                null, null, rope, 0,
                w.matrix(p + "attn_output.weight", c.dim(), c.heads() * c.headDimV()),
                null,
                w.norm(p + "ffn_norm.weight", c.dim(), c.normEps()),
                new FeedForward.FusedGateUp(w.matrix(p + "ffn_up.weight", 2 * c.ffnDim(), c.dim()),
                        w.matrix(p + "ffn_down.weight", c.dim(), c.ffnDim()), Activation.SILU),
                null);
    }
}
