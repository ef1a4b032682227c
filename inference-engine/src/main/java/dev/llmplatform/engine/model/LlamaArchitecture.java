package dev.llmplatform.engine.model;

/** Llama 1/2/3 and Mistral files: the default block with adjacent-pair RoPE ({@code rope_freqs} for Llama 3.1). */
final class LlamaArchitecture extends Architecture {
    @Override
    protected Rope.Pairing pairing() {
        return Rope.Pairing.ADJACENT;
    }
}
