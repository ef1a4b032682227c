package dev.llmplatform.guardrails.pii;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Word spans: runs of letters, apostrophes and inner hyphens. */
final class Words {
    /**
     * The last text's spans, per thread: the recognizers of one check ask for the same text's words up to ten
     * times, and each list took some 8 KB for a 1 KB prompt. Strings are immutable, so the same instance has the
     * same words.
     */
    private static final ThreadLocal<Words> LAST = new ThreadLocal<>();

    private final String text;
    private final List<int[]> spans;

    private Words(String text, List<int[]> spans) {
        this.text = text;
        this.spans = spans;
    }

    /** The spans [start, end) of the words of {@code text}, in order (read-only: callers share the list). */
    static List<int[]> spans(String text) {
        Words last = LAST.get();
        if (last != null && last.text == text) {
            return last.spans;
        }
        List<int[]> spans = Collections.unmodifiableList(find(text));
        LAST.set(new Words(text, spans));
        return spans;
    }

    private static List<int[]> find(String text) {
        List<int[]> spans = new ArrayList<>();
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
        return spans;
    }
}
