package dev.llmplatform.structured.matcher;

/**
 * A grammar lowered to bytes: every rule is a list of alternatives, each a run of elements in one flat
 * array ending with {@link #END}. An element is a byte set ({@link #BYTES}, 256 bits in four longs) or
 * a reference to a rule ({@link #REF}). Named rules (from the source grammar) are "boundaries": the
 * token-mask cache keys on the stack frames above the nearest boundary, so work done for a rule is
 * shared by every place that references it.
 */
public final class CompiledGrammar {
    static final byte BYTES = 0;
    static final byte REF = 1;
    static final byte END = 2;

    final byte[] kind;
    final int[] ref;
    final long[] bits;
    final int[] ruleOf;
    final int[][] ruleAlts;
    final String[] ruleNames;
    final boolean[] boundary;
    final int rootRule;
    /** Rules that can match the empty string (set by the compiler). */
    boolean[] nullable;

    CompiledGrammar(byte[] kind, int[] ref, long[] bits, int[] ruleOf, int[][] ruleAlts, String[] ruleNames,
            boolean[] boundary, int rootRule) {
        this.kind = kind;
        this.ref = ref;
        this.bits = bits;
        this.ruleOf = ruleOf;
        this.ruleAlts = ruleAlts;
        this.ruleNames = ruleNames;
        this.boundary = boundary;
        this.rootRule = rootRule;
    }

    boolean matches(int pos, int b) {
        return (bits[pos * 4 + (b >>> 6)] >>> (b & 63) & 1L) != 0;
    }

    public int ruleCount() {
        return ruleAlts.length;
    }

    public int elementCount() {
        return kind.length;
    }
}
