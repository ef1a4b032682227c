package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Job titles: a head noun naming an occupation ("engineer", "clerk", "Manager"), with up to three words
 * before it ("Senior Marketing Manager", "sewer pipe cleaner"). Reported when an occupation context
 * precedes it ("works as a", "job title:", "is a") or when the title has a known modifier (a field or
 * seniority word); a bare head noun is too common to count on its own.
 */
final class JobTitleRecognizer implements Recognizer {
    private static final Pattern CONTEXT = Pattern.compile(
            "(?i)\\b(?:as|is|was|am|are|were|become|became|being|work(?:s|ed|ing)? as|job(?: title)?|title|position|occupation|profession|role)"
                    + "(?: an?| the| our| my| his| her| their)?[:\\s]*$");

    private final Set<String> heads;
    private final Set<String> modifiers;
    private final Set<String> stopWords;

    JobTitleRecognizer(Set<String> heads, Set<String> modifiers, Set<String> stopWords) {
        this.heads = heads;
        this.modifiers = modifiers;
        this.stopWords = stopWords;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        for (int i = 0; i < words.size(); i++) {
            int[] h = words.get(i);
            if (!heads.contains(words.lower(i))) {
                continue;
            }
            // Extend left over words separated by single spaces, stopping at function words ("the", "a").
            int first = i;
            while (first > 0 && i - first < 3) {
                int[] prev = words.get(first - 1);
                if (!text.substring(prev[1], words.get(first)[0]).equals(" ") || stopWords.contains(words.lower(first - 1))
                        || heads.contains(words.lower(first - 1)) && !modifiers.contains(words.lower(first - 1))) {
                    break;
                }
                first--;
            }
            int start = words.get(first)[0];
            String before = text.substring(Math.max(0, start - 30), start);
            boolean context = CONTEXT.matcher(before).find();
            boolean modified = false;
            for (int k = first; k < i; k++) {
                modified |= modifiers.contains(words.lower(k));
            }
            if (context || modified) {
                // Without context, keep only the modifier words and the head: "the new Senior Manager" -> "Senior Manager".
                if (!context) {
                    while (!modifiers.contains(words.lower(first))) {
                        first++;
                    }
                    start = words.get(first)[0];
                }
                out.add(new Finding(Category.TITLE, start, h[1], context ? 0.8 : 0.7, "pii:job-title"));
            }
        }
    }
}
