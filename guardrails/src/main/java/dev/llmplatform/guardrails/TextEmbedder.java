package dev.llmplatform.guardrails;

import java.util.List;

/**
 * Sentence embeddings for the embedding-based detectors: one unit-length vector per text, in order.
 * In production this is the engine's {@code SentenceEmbedder::embed} (all-MiniLM-L6-v2).
 */
@FunctionalInterface
public interface TextEmbedder {
    List<float[]> embed(List<String> texts);
}
