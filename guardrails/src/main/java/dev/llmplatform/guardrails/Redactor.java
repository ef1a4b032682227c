package dev.llmplatform.guardrails;

import java.util.Comparator;
import java.util.List;

/** Replaces findings in a text by {@code <CATEGORY>} placeholders; overlapping findings merge. */
public final class Redactor {
    private Redactor() {
    }

    public static String redact(String text, List<Finding> findings) {
        List<Finding> sorted = findings.stream().sorted(Comparator.comparingInt(Finding::start)).toList();
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        for (Finding f : sorted) {
            if (f.end() > text.length()) {
                throw new IllegalArgumentException("finding " + f + " extends past the text");
            }
            if (f.start() < pos) { // overlaps the previous placeholder: extend it
                pos = Math.max(pos, f.end());
                continue;
            }
            out.append(text, pos, f.start()).append('<').append(f.category()).append('>');
            pos = f.end();
        }
        return out.append(text, pos, text.length()).toString();
    }
}
