package dev.llmplatform.engine.encoder;

/**
 * The hyper-parameters of a BERT encoder.
 *
 * @param maxPositions   rows of the position-embedding table: the longest input the model can take
 * @param typeVocabSize  rows of the token-type (segment) embedding table
 */
public record BertConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize,
                         int maxPositions, int typeVocabSize, float layerNormEps) {
    public BertConfig {
        if (heads <= 0 || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " is not divisible by " + heads + " heads");
        }
        if (vocabSize <= 0 || layers <= 0 || intermediateSize <= 0 || maxPositions <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException("invalid BERT configuration " + this);
        }
    }

    public int headDim() {
        return hiddenSize / heads;
    }
}
