package dev.llmplatform.engine.tokenizer;

/**
 * Token text → id, looked up by a range of a larger string without copying it out: the merge loops
 * ask "is this span a token?" for every candidate pair, and allocating a substring per question
 * dominated their cost. Open addressing over the texts' {@link String#hashCode()} values.
 */
final class TokenIndex {
    private final String[] texts;
    private final int[] slots; // token id + 1; 0 = empty
    private final int[] hashes;
    private final int mask;

    TokenIndex(String[] texts) {
        this.texts = texts;
        int capacity = Integer.highestOneBit(Math.max(16, texts.length * 2 - 1)) << 1;
        slots = new int[capacity];
        hashes = new int[capacity];
        mask = capacity - 1;
        for (int id = 0; id < texts.length; id++) {
            int h = texts[id].hashCode();
            int slot = mix(h) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
            hashes[slot] = h;
        }
    }

    /** The id of the token whose text is {@code source[start, start + length)}, or -1. */
    int find(String source, int start, int length) {
        int h = 0;
        for (int i = start; i < start + length; i++) {
            h = 31 * h + source.charAt(i);
        }
        for (int slot = mix(h) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == h) {
                String text = texts[slots[slot] - 1];
                if (text.length() == length && source.regionMatches(start, text, 0, length)) {
                    return slots[slot] - 1;
                }
            }
        }
        return -1;
    }

    private static int mix(int h) {
        return (h ^ (h >>> 16)) * 0x45D9F3B;
    }
}
