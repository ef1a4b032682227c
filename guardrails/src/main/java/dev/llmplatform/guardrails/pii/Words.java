package dev.llmplatform.guardrails.pii;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words of one text: spans [start, end) of runs of letters, apostrophes and inner hyphens, in order, found once
 * per text by {@link PiiDetector} and handed to every {@link Recognizer}; and each word lower-cased, built the first
 * time a recognizer asks and then shared (several look the same words up in their lists).
 */
final class Words extends AbstractList<int[]> {
    private final String text;
    private final List<int[]> spans;
    private final String[] lower;

    private Words(String text, List<int[]> spans) {
        this.text = text;
        this.spans = spans;
        this.lower = new String[spans.size()];
    }

    /** The words of {@code text}. */
    static Words of(String text) {
        List<int[]> spans = new ArrayList<>(text.length() / 5 + 1);
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!Character.isLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && (Character.isLetter(text.charAt(i))
                    || ((text.charAt(i) == '\'' || text.charAt(i) == '-') && i + 1 < n && Character.isLetter(text.charAt(i + 1))))) {
                i++;
            }
            spans.add(new int[] {start, i});
        }
        return new Words(text, spans);
    }

    /** The span [start, end) of word {@code i}. */
    @Override
    public int[] get(int i) {
        return spans.get(i);
    }

    @Override
    public int size() {
        return spans.size();
    }

    /** Word {@code i} lower-cased ({@link Locale#ROOT}). */
    String lower(int i) {
        String w = lower[i];
        if (w == null) {
            int[] span = spans.get(i);
            w = text.substring(span[0], span[1]).toLowerCase(Locale.ROOT);
            lower[i] = w;
        }
        return w;
    }
}
