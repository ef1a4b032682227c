package dev.llmplatform.rag;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a document into overlapping passages of at most {@code maxChars} characters, cutting at the
 * strongest boundary available near the limit — paragraph, then sentence, then word — so a passage
 * rarely ends mid-sentence. Consecutive chunks share about {@code overlapChars} characters so a fact
 * that straddles a cut is still retrievable whole.
 */
public final class Chunker {
    private final int maxChars;
    private final int overlapChars;

    public Chunker(int maxChars, int overlapChars) {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars must be at least 16, got " + maxChars);
        }
        if (overlapChars < 0 || overlapChars >= maxChars / 2) {
            throw new IllegalArgumentException("overlapChars must be in [0, maxChars/2), got " + overlapChars);
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    public List<Chunk> split(String documentId, String text) {
        List<Chunk> chunks = new ArrayList<>();
        int start = skipWhitespace(text, 0);
        while (start < text.length()) {
            int end = start + maxChars >= text.length() ? text.length() : cutPoint(text, start, start + maxChars);
            int trimmedEnd = end;
            while (trimmedEnd > start && Character.isWhitespace(text.charAt(trimmedEnd - 1))) {
                trimmedEnd--;
            }
            chunks.add(new Chunk(documentId, chunks.size(), text.substring(start, trimmedEnd), start, trimmedEnd));
            if (end >= text.length()) {
                break;
            }
            int next = overlapChars == 0 ? end : wordStartAtOrAfter(text, Math.max(start + 1, end - overlapChars), end);
            start = skipWhitespace(text, next);
        }
        return chunks;
    }

    /** The best place to cut in (start, limit]: after a paragraph break, a sentence end, or a space. */
    private int cutPoint(String text, int start, int limit) {
        int floor = start + maxChars / 2; // never cut so early that chunks become tiny
        int paragraph = text.lastIndexOf("\n\n", limit - 2);
        if (paragraph >= floor) {
            return paragraph + 2;
        }
        for (int i = limit - 1; i >= floor; i--) {
            char c = text.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?' || c == '。') && Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        for (int i = limit; i > floor; i--) {
            if (Character.isWhitespace(text.charAt(i - 1))) {
                return i;
            }
        }
        return limit; // one long word: hard cut
    }

    private static int wordStartAtOrAfter(String text, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (i == 0 || Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return limit;
    }

    private static int skipWhitespace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
