package dev.llmplatform.guardrails;

import java.util.ArrayList;
import java.util.List;

/**
 * A text cut into overlapping word windows that fit the sentence encoder (MiniLM reads 256 tokens,
 * about 180 words), embedded once and shared by every embedding-based detector of one check.
 */
public final class EmbeddedText {
    static final int WINDOW_WORDS = 160;
    static final int STRIDE_WORDS = 140;

    private final String text;
    private final List<int[]> windows;
    private final TextEmbedder embedder;
    private List<float[]> vectors;

    public EmbeddedText(String text, TextEmbedder embedder) {
        this.text = text;
        this.embedder = embedder;
        this.windows = windows(text);
    }

    public String text() {
        return text;
    }

    /** Character spans [start, end) of the windows, in order. */
    public List<int[]> windows() {
        return windows;
    }

    /** One vector per window, computed on first use. */
    public List<float[]> vectors() {
        if (vectors == null) {
            List<String> parts = new ArrayList<>(windows.size());
            for (int[] w : windows) {
                parts.add(text.substring(w[0], w[1]));
            }
            vectors = parts.isEmpty() ? List.of() : embedder.embed(parts);
        }
        return vectors;
    }

    static List<int[]> windows(String text) {
        List<int[]> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > s) {
                words.add(new int[] {s, i});
            }
        }
        List<int[]> windows = new ArrayList<>();
        for (int w = 0; w < words.size(); w += STRIDE_WORDS) {
            int last = Math.min(words.size(), w + WINDOW_WORDS) - 1;
            windows.add(new int[] {words.get(w)[0], words.get(last)[1]});
            if (last == words.size() - 1) {
                break;
            }
        }
        return windows;
    }
}
