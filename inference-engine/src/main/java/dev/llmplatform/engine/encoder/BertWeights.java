package dev.llmplatform.engine.encoder;

import java.util.List;

/**
 * A whole BERT encoder: embedding tables (row-major, one row of {@code hiddenSize} per id), the
 * embedding LayerNorm and the blocks.
 */
public record BertWeights(BertConfig config, float[] tokenEmbeddings, float[] positionEmbeddings,
                          float[] tokenTypeEmbeddings, LayerNormWeights embeddingNorm, List<BertLayer> layers) {
    public BertWeights {
        int h = config.hiddenSize();
        check("token embeddings", tokenEmbeddings, (long) config.vocabSize() * h);
        check("position embeddings", positionEmbeddings, (long) config.maxPositions() * h);
        check("token type embeddings", tokenTypeEmbeddings, (long) config.typeVocabSize() * h);
        if (layers.size() != config.layers()) {
            throw new IllegalArgumentException(layers.size() + " layers, the configuration says " + config.layers());
        }
        layers = List.copyOf(layers);
    }

    private static void check(String what, float[] a, long expected) {
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " hold " + a.length + " values, expected " + expected);
        }
    }
}
