package dev.llmplatform.engine.model;

/** Qwen3: the llama block with NeoX RoPE and an RMSNorm on each query and key head before rotation. */
final class Qwen3Architecture extends Architecture {
    @Override
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope rope) {
        Layer base = super.layer(w, c, i, rope);
        String p = "blk." + i + ".";
        return new Layer(base.attnNorm(), base.qkv(),
                w.norm(p + "attn_q_norm.weight", c.headDimK(), c.normEps()),
                w.norm(p + "attn_k_norm.weight", c.headDimK(), c.normEps()),
                rope, 0, base.attnOutput(), null, base.ffnNorm(), base.ffn(), null);
    }
}
