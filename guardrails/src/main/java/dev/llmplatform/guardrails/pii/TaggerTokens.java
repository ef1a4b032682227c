package dev.llmplatform.guardrails.pii;

import java.util.ArrayList;
import java.util.List;

/**
 * The tagger's tokens: runs of letters and digits (with apostrophes and hyphens inside a word, as in
 * "O'Neil" or "Saint-Denis"), or one other non-space character. Offsets index the original text, so a tag
 * sequence maps straight back to character spans.
 */
final class TaggerTokens {
    private TaggerTokens() {
    }

    /** {start, end} of each token. */
    static List<int[]> of(String text) {
        List<int[]> tokens = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (Character.isLetterOrDigit(c)) {
                i++;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || inner(text, i))) {
                    i++;
                }
            } else {
                i++;
            }
            tokens.add(new int[] {start, i});
        }
        return tokens;
    }

    private static boolean inner(String text, int i) {
        char c = text.charAt(i);
        return (c == '\'' || c == '’' || c == '-') && i + 1 < text.length() && Character.isLetter(text.charAt(i + 1))
                && Character.isLetter(text.charAt(i - 1));
    }
}
