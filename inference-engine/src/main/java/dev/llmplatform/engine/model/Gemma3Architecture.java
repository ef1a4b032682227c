package dev.llmplatform.engine.model;

/**
 * Gemma 3: Gemma 2's block plus per-head Q/K norms; five sliding-window layers for each global one.
 * The sliding-window layers use RoPE base 10000 without scaling; the global layers use the file's
 * {@code rope.freq_base} and {@code rope.scaling}.
 */
final class Gemma3Architecture extends Gemma2Architecture {
    private static final double LOCAL_ROPE_BASE = 10000.0;

    private Rope localRope;

    @Override
    protected int largeModelLayers() {
        return 62;
    }

    @Override
    protected boolean isSlidingWindowLayer(int i) {
        return i % 6 < 5;
    }

    @Override
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope globalRope) {
        if (localRope == null) {
            localRope = new Rope(pairing(), c.ropeDim(), LOCAL_ROPE_BASE, RopeScaling.NONE, null);
        }
        Layer base = super.layer(w, c, i, globalRope);
        String p = "blk." + i + ".";
        boolean local = isSlidingWindowLayer(i);
        return new Layer(base.attnNorm(), base.qkv(),
                w.norm(p + "attn_q_norm.weight", c.headDimK(), c.normEps()),
                w.norm(p + "attn_k_norm.weight", c.headDimK(), c.normEps()),
                local ? localRope : globalRope,
                base.window(), base.attnOutput(), base.postAttnNorm(), base.ffnNorm(), base.ffn(), base.postFfnNorm());
    }
}
