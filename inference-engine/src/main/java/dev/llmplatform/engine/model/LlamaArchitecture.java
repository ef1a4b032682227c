package dev.llmplatform.engine.model;

/**
 * Llama 1/2/3 and Mistral files: the default block with adjacent-pair RoPE ({@code rope_freqs} for
 * Llama 3.1). Mistral-family files that declare {@code attention.sliding_window} (Mistral 7B v0.1)
 * attend over that many most recent tokens in every layer, the current one included.
 */
final class LlamaArchitecture extends Architecture {
    @Override
    protected Rope.Pairing pairing() {
        return Rope.Pairing.ADJACENT;
    }

    @Override
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope rope) {
        Layer base = super.layer(w, c, i, rope);
        if (c.slidingWindow() <= 0) {
            return base;
        }
        return new Layer(base.attnNorm(), base.qkv(), base.qNorm(), base.kNorm(), base.rope(), c.slidingWindow(),
                base.attnOutput(), base.postAttnNorm(), base.ffnNorm(), base.ffn(), base.postFfnNorm());
    }
}
