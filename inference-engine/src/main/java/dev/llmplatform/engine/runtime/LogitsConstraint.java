package dev.llmplatform.engine.runtime;

import java.util.BitSet;

/**
 * Restricts which tokens may come next, e.g. to keep output inside a grammar or JSON Schema. The
 * sampler asks for the allowed set before each step, masks every other logit to −∞, samples, and
 * reports the chosen token back. Implemented by structured-output; one instance per sequence.
 */
public interface LogitsConstraint {

    /**
     * Sets in {@code allowed} (cleared by the caller, sized to the vocabulary) the ids that may come
     * next. End-of-generation tokens are allowed only when {@link #canEnd()}.
     */
    void allowedTokens(BitSet allowed);

    /** Advances past {@code tokenId}; throws {@link IllegalStateException} if it was not allowed. */
    void accept(int tokenId);

    /** True if the output so far is complete (the grammar may end here). */
    boolean canEnd();
}
