package dev.llmplatform.engine.encoder;

/** The scale (gamma) and shift (beta) of a LayerNorm over the hidden dimension. */
public record LayerNormWeights(float[] weight, float[] bias) {
    public LayerNormWeights {
        if (weight.length != bias.length) {
            throw new IllegalArgumentException("LayerNorm weight has " + weight.length + " values, bias " + bias.length);
        }
    }
}
