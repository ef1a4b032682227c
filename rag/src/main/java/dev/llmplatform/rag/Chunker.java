package dev.llmplatform.rag;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a document into overlapping passages of at most {@code maxTokens} tokens (as counted by a
 * {@link TokenCounter}, normally the embedding model's tokenizer), cutting at the strongest boundary
 * available in the second half of the window — before a heading line, then between paragraphs, then
 * between sentences, then between words — and only cutting inside a word when one word alone is longer
 * than a chunk. Cuts never fall between the two halves of a surrogate pair, so no code point (and so no
 * UTF-8 sequence) is ever split. Consecutive chunks share up to {@code overlapTokens} tokens, starting at
 * a word boundary, so a fact that straddles a cut is still retrievable whole.
 */
public final class Chunker {
    private static final int WORD = 1;
    private static final int SENTENCE = 2;
    private static final int PARAGRAPH = 3;
    private static final int HEADING = 4;

    private final int maxTokens;
    private final int overlapTokens;
    private final TokenCounter counter;

    /** A character-sized chunker (each UTF-16 unit counts as one token). */
    public Chunker(int maxChars, int overlapChars) {
        this(maxChars, overlapChars, TokenCounter.CHARACTERS);
    }

    public Chunker(int maxTokens, int overlapTokens, TokenCounter counter) {
        if (maxTokens < 16) {
            throw new IllegalArgumentException("chunk size must be at least 16 tokens, got " + maxTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
            throw new IllegalArgumentException("overlap must be in [0, size/2), got " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.counter = counter;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int overlapTokens() {
        return overlapTokens;
    }

    public List<Chunk> split(String documentId, String text) {
        Boundaries boundaries = Boundaries.of(text);
        List<Chunk> chunks = new ArrayList<>();
        int start = skipWhitespace(text, 0);
        while (start < text.length()) {
            int cut = cutPoint(text, boundaries, start);
            int end = trimEnd(text, start, cut);
            chunks.add(new Chunk(documentId, chunks.size(), text.substring(start, end), start, end));
            if (cut >= text.length() || skipWhitespace(text, cut) >= text.length()) {
                break;
            }
            start = skipWhitespace(text, overlapStart(text, boundaries, start, cut));
        }
        return chunks;
    }

    /** Where the chunk starting at {@code start} ends (exclusive, before trimming). */
    private int cutPoint(String text, Boundaries b, int start) {
        if (fits(text, start, text.length())) {
            return text.length();
        }
        int first = b.firstAfter(start);
        // the furthest boundary whose prefix fits (counts grow with the end position)
        int lo = first;
        int hi = b.size() - 1;
        int furthest = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (fits(text, start, b.position(mid))) {
                furthest = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (furthest < 0) {
            return hardCut(text, start);
        }
        // the first boundary that fills at least half a chunk: never cut so early that chunks become tiny
        lo = first;
        hi = furthest;
        int half = furthest;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (counter.count(text.substring(start, trimEnd(text, start, b.position(mid)))) >= maxTokens / 2) {
                half = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        int best = furthest;
        for (int i = furthest; i >= half; i--) {
            if (b.strength(i) > b.strength(best)) {
                best = i;
            }
        }
        return b.position(best);
    }

    /** One word longer than a chunk: the longest prefix that fits, never splitting a surrogate pair. */
    private int hardCut(String text, int start) {
        int lo = start + 1;
        int hi = text.length();
        int fit = start + 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (fits(text, start, mid)) {
                fit = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (fit < text.length() && Character.isLowSurrogate(text.charAt(fit)) && fit - 1 > start) {
            fit--;
        }
        return fit;
    }

    /** The earliest word start after {@code start} whose suffix up to {@code cut} is within the overlap. */
    private int overlapStart(String text, Boundaries b, int start, int cut) {
        if (overlapTokens == 0) {
            return cut;
        }
        int lo = b.firstAfter(start + 1);
        int hi = b.lastBefore(cut);
        int earliest = cut;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int p = b.position(mid);
            if (counter.count(text.substring(p, trimEnd(text, p, cut))) <= overlapTokens) {
                earliest = p;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return earliest;
    }

    private boolean fits(String text, int start, int end) {
        return counter.count(text.substring(start, trimEnd(text, start, end))) <= maxTokens;
    }

    private static int trimEnd(String text, int start, int end) {
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private static int skipWhitespace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Every word start in the text with the strength of the break before it, in text order. */
    private record Boundaries(int[] positions, byte[] strengths, int size) {
        static Boundaries of(String text) {
            int[] pos = new int[16];
            byte[] str = new byte[16];
            int n = 0;
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c) || !Character.isWhitespace(text.charAt(i - 1))) {
                    continue;
                }
                int newlines = 0;
                int j = i - 1;
                while (j >= 0 && Character.isWhitespace(text.charAt(j))) {
                    if (text.charAt(j) == '\n') {
                        newlines++;
                    }
                    j--;
                }
                int strength = WORD;
                if (newlines >= 2) {
                    strength = c == '#' ? HEADING : PARAGRAPH;
                } else if (newlines == 1 || j >= 0 && isSentenceEnd(text.charAt(j))) {
                    strength = c == '#' && newlines == 1 ? HEADING : SENTENCE;
                }
                if (n == pos.length) {
                    pos = java.util.Arrays.copyOf(pos, n * 2);
                    str = java.util.Arrays.copyOf(str, n * 2);
                }
                pos[n] = i;
                str[n++] = (byte) strength;
            }
            return new Boundaries(pos, str, n);
        }

        private static boolean isSentenceEnd(char c) {
            return c == '.' || c == '!' || c == '?' || c == '。';
        }

        int position(int i) {
            return positions[i];
        }

        int strength(int i) {
            return strengths[i];
        }

        /** Index of the first boundary at a position greater than {@code p}. */
        int firstAfter(int p) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (positions[mid] > p) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /** Index of the last boundary at a position less than {@code p}. */
        int lastBefore(int p) {
            return firstAfter(p - 1) - 1;
        }
    }
}
