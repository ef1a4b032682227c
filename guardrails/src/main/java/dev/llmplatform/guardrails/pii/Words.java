package dev.llmplatform.guardrails.pii;

import java.util.ArrayList;
import java.util.List;

/** Word spans: runs of letters, apostrophes and inner hyphens. */
final class Words {
    private Words() {
    }

    /** The spans [start, end) of the words of {@code text}, in order. */
    static List<int[]> spans(String text) {
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
