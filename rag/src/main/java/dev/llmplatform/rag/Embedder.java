package dev.llmplatform.rag;

import java.util.List;

/**
 * Turns texts into vectors for dense retrieval. The platform backs it with the engine's encoder
 * (all-MiniLM-L6-v2 by default), so this module needs no model code of its own.
 */
public interface Embedder {
    /** Number of dimensions of every vector. */
    int dimensions();

    /** One L2-normalised vector per text, in order. */
    List<float[]> embed(List<String> texts);
}
