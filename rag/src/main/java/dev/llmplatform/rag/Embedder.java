package dev.llmplatform.rag;

import java.util.List;

/**
 * Turns texts into vectors for dense retrieval. The platform backs it with the engine's encoder
 * (all-MiniLM-L6-v2 by default), so this module needs no model code of its own.
 */
public interface Embedder {
    /** The model's name; a collection records it and refuses vectors from any other model. */
    String modelName();

    /** Number of dimensions of every vector. */
    int dimensions();

    /** The longest input the model reads (its own special tokens included); longer inputs are truncated. */
    int maxTokens();

    /** Tokens {@code text} costs in the model's vocabulary, without the model's special tokens. */
    int countTokens(String text);

    /** One L2-normalised vector per text, in order. */
    List<float[]> embed(List<String> texts);
}
