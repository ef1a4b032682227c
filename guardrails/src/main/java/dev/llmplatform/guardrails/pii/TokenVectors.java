package dev.llmplatform.guardrails.pii;

/**
 * The encoder state of each tagger token, where it lies: token {@code i}'s is
 * {@code arrays[i][offsets[i], offsets[i] + dimension)}, or none where {@code arrays[i]} is null. The arrays are
 * usually the encoder's own output (shared by many tokens), so reading a check's token states copies nothing.
 */
record TokenVectors(float[][] arrays, int[] offsets, int dimension) {
    /** One array per token, each starting at 0 (null: no state). */
    static TokenVectors of(float[][] rows, int dimension) {
        return new TokenVectors(rows, new int[rows.length], dimension);
    }

    int size() {
        return arrays.length;
    }

    boolean has(int token) {
        return arrays[token] != null;
    }

    /** Token {@code token}'s state as an array of its own (training and tests); null where there is none. */
    float[] copy(int token) {
        return has(token) ? java.util.Arrays.copyOfRange(arrays[token], offsets[token], offsets[token] + dimension) : null;
    }
}
