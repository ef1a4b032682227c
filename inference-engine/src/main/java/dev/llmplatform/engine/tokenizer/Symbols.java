package dev.llmplatform.engine.tokenizer;

/**
 * A doubly linked list of adjacent text spans ("symbols") over a string, as merge-based tokenizers
 * use it: merging a symbol with its successor extends it and unlinks the successor, whose length
 * becomes 0.
 */
final class Symbols {
    final String source;
    final int[] start;
    final int[] length;
    final int[] prev;
    final int[] next;
    private final int count;

    private Symbols(String source, int count) {
        this.source = source;
        this.count = count;
        this.start = new int[count];
        this.length = new int[count];
        this.prev = new int[count];
        this.next = new int[count];
    }

    /** One symbol per code point of {@code text}. */
    static Symbols ofCodePoints(String text) {
        Symbols s = new Symbols(text, text.codePointCount(0, text.length()));
        int pos = 0;
        for (int i = 0; i < s.count; i++) {
            int len = Character.charCount(text.codePointAt(pos));
            s.start[i] = pos;
            s.length[i] = len;
            s.prev[i] = i - 1;
            s.next[i] = i + 1 < s.count ? i + 1 : -1;
            pos += len;
        }
        return s;
    }

    int count() {
        return count;
    }

    String text(int i) {
        return source.substring(start[i], start[i] + length[i]);
    }

    /** Merges symbol {@code i} with the symbol after it. */
    void mergeWithNext(int i) {
        int right = next[i];
        length[i] += length[right];
        length[right] = 0;
        next[i] = next[right];
        if (next[right] >= 0) {
            prev[next[right]] = i;
        }
    }
}
