package dev.llmplatform.engine.model;

/** Gemma (1): the llama block with GeGLU, NeoX RoPE and embeddings scaled by √dim; no extra norms. */
final class GemmaArchitecture extends Architecture {
    @Override
    protected float embedScale(ModelConfig c) {
        return (float) Math.sqrt(c.dim());
    }

    @Override
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope rope) {
        Layer base = super.layer(w, c, i, rope);
        return new Layer(base.attnNorm(), base.qkv(), null, null, rope, 0, base.attnOutput(), null,
                base.ffnNorm(), gatedFfn(w, c, "blk." + i + ".", Activation.GELU_TANH), null);
    }
}
