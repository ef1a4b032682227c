package dev.llmplatform.structured.matcher;

/**
 * What one sequence's mask computations cost beyond cache hits, counted so that an evaluation can say
 * why a slow mask call was slow (MaskBench's tail report). Cumulative; read differences around a call.
 * Plain counters: a constraint belongs to one thread.
 */
public final class MaskWork {
    long stateMisses;
    long stacksCombined;
    long lateContexts;
    long suffixWalks;
    long suffixWalkNodes;

    /** Whole parser states met for the first time (a mask built from per-rule masks). */
    public long stateMisses() {
        return stateMisses;
    }

    /** Stacks whose per-rule mask and caller suffixes were combined for first-met states. */
    public long stacksCombined() {
        return stacksCombined;
    }

    /** Per-rule masks computed when first met, not by precomputation (each a vocabulary trie walk). */
    public long lateContexts() {
        return lateContexts;
    }

    /** Suffix-trie walks for a (suffix trie, caller continuation) pair met for the first time. */
    public long suffixWalks() {
        return suffixWalks;
    }

    /** Suffix-trie nodes those walks visited. */
    public long suffixWalkNodes() {
        return suffixWalkNodes;
    }
}
