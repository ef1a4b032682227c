package dev.llmplatform.guardrails.output;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Output that quotes the system prompt: any run of {@link #SHINGLE} consecutive words of the system
 * prompt (case and punctuation ignored) appearing in the output is a leak. Eight words are rarely
 * repeated by chance, and a paraphrase that shares no such run is not verbatim leakage.
 */
public final class SystemPromptLeakDetector {
    static final int SHINGLE = 8;

    private final Set<String> shingles = new HashSet<>();

    public SystemPromptLeakDetector(String systemPrompt) {
        List<String> words = words(systemPrompt).stream().map(w -> w.word).toList();
        for (int i = 0; i + SHINGLE <= words.size(); i++) {
            shingles.add(String.join(" ", words.subList(i, i + SHINGLE)));
        }
    }

    public boolean isEmpty() {
        return shingles.isEmpty();
    }

    public List<Finding> detect(String output) {
        List<Finding> found = new ArrayList<>();
        if (shingles.isEmpty()) {
            return found;
        }
        List<Word> words = words(output);
        int runStart = -1;
        int runEnd = -1;
        for (int i = 0; i + SHINGLE <= words.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = i; k < i + SHINGLE; k++) {
                sb.append(k > i ? " " : "").append(words.get(k).word);
            }
            if (shingles.contains(sb.toString())) {
                int s = words.get(i).start;
                int e = words.get(i + SHINGLE - 1).end;
                if (runStart >= 0 && s <= runEnd) {
                    runEnd = Math.max(runEnd, e);
                } else {
                    if (runStart >= 0) {
                        found.add(new Finding(Category.SYSTEM_PROMPT_LEAK, runStart, runEnd, 0.95, "system-prompt-leak"));
                    }
                    runStart = s;
                    runEnd = e;
                }
            }
        }
        if (runStart >= 0) {
            found.add(new Finding(Category.SYSTEM_PROMPT_LEAK, runStart, runEnd, 0.95, "system-prompt-leak"));
        }
        return found;
    }

    private record Word(String word, int start, int end) {
    }

    private static List<Word> words(String text) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (!Character.isLetterOrDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int s = i;
            while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            out.add(new Word(text.substring(s, i).toLowerCase(Locale.ROOT), s, i));
        }
        return out;
    }
}
