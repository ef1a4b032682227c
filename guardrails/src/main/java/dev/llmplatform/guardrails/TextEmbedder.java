package dev.llmplatform.guardrails;

import dev.llmplatform.engine.encoder.EncoderWorkspace;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.util.List;

/**
 * Sentence embeddings for the embedding-based detectors: one unit-length vector per text, in order.
 * In production this is {@link EncoderTextEmbedder} over the engine's all-MiniLM-L6-v2.
 */
@FunctionalInterface
public interface TextEmbedder {
    /** Marks the encoder's full depth in {@link #embed(List, int)}: the model's own sentence embedding. */
    int ALL_LAYERS = 0;

    List<float[]> embed(List<String> texts);

    /**
     * Pooled, unit-length vectors of the encoder's first {@code layers} blocks ({@link #ALL_LAYERS}: the sentence
     * embedding); a cheaper feature for a classifier trained on the same depth. Embedders without that option
     * support only {@link #ALL_LAYERS}.
     */
    default List<float[]> embed(List<String> texts, int layers) {
        if (layers != ALL_LAYERS) {
            throw new UnsupportedOperationException("this embedder cannot stop after " + layers + " layers");
        }
        return embed(texts);
    }

    /**
     * Per text, the encoder's input tokens and their hidden states after the first {@code layers} blocks, with the
     * pooled vector {@link #embed(List, int)} gives, from one pass; null where the embedder has no token states
     * (then a caller embeds). Lets a detector that reads token states share the pass of one that reads vectors.
     * With a {@code workspace} (from {@link #acquireWorkspace()}) the states are views of its buffers, valid until
     * it is closed; with null they are copies the caller owns.
     */
    default List<SentenceEmbedder.TokenStates> encodeTokens(List<String> texts, int layers, EncoderWorkspace workspace) {
        return null;
    }

    /** Buffers for one caller's {@link #encodeTokens} calls, to be closed when their states are no longer read; null if the embedder has none. */
    default EncoderWorkspace acquireWorkspace() {
        return null;
    }

    /**
     * Whether the encoder reads {@code text} whole, without truncating it (then it needs no windows). The default,
     * for embedders that cannot count tokens, is no: the text is then windowed by words.
     */
    default boolean readsWhole(String text) {
        return false;
    }
}
