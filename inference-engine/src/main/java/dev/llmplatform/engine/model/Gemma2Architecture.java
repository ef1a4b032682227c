package dev.llmplatform.engine.model;

/**
 * Gemma 2: GeGLU, embeddings scaled by √dim, extra norms after attention and after the FFN, attention
 * and final logit soft-capping (read from the config), and a sliding window on the even-indexed layers.
 */
class Gemma2Architecture extends Architecture {

    @Override
    protected float embedScale(ModelConfig c) {
        return (float) Math.sqrt(c.dim());
    }

    /**
     * Queries are scaled by 1/√query_pre_attn_scalar, which GGUF does not store: it equals the head size
     * except for the 27B model (46 layers in Gemma 2, 62 in Gemma 3), where it is dim/heads.
     */
    @Override
    protected float attentionScale(ModelConfig c) {
        boolean is27b = c.layers() == largeModelLayers();
        return (float) (1.0 / Math.sqrt(is27b ? (double) c.dim() / c.heads() : c.headDimK()));
    }

    protected int largeModelLayers() {
        return 46;
    }

    /** Whether layer {@code i} uses the sliding window: every other layer, starting with layer 0. */
    protected boolean isSlidingWindowLayer(int i) {
        return i % 2 == 0;
    }

    @Override
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope rope) {
        String p = "blk." + i + ".";
        return new Layer(
                w.norm(p + "attn_norm.weight", c.dim(), c.normEps()),
                separateQkv(w, c, p),
                null, null, rope,
                isSlidingWindowLayer(i) ? c.slidingWindow() : 0,
                w.matrix(p + "attn_output.weight", c.dim(), c.heads() * c.headDimV()),
                w.norm(p + "post_attention_norm.weight", c.dim(), c.normEps()),
                w.norm(p + "ffn_norm.weight", c.dim(), c.normEps()),
                gatedFfn(w, c, p, Activation.GELU_TANH),
                w.norm(p + "post_ffw_norm.weight", c.dim(), c.normEps()));
    }
}
