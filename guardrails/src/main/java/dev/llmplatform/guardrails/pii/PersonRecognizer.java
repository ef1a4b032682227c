package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names by three honest signals: a known given name (from a word list) followed by up to two
 * capitalised words; an honorific ({@code Mr.}, {@code Dr.}, ...) followed by capitalised words (which
 * also yields a {@code TITLE}); and introductions ("my name is ...", "I am ...").
 */
final class PersonRecognizer implements Recognizer {
    private static final String CAPITALISED = "\\p{Lu}[\\p{L}'’-]+";
    private static final Pattern HONORIFIC = Pattern.compile(
            "\\b(?<t>Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra)\\b\\.?\\s+(?<v>" + CAPITALISED + "(?:\\s+" + CAPITALISED + ")?)");
    private static final Pattern INTRODUCTION = Pattern.compile(
            "(?i:\\b(?:my name is|i am|i'm|this is|named|called|signed|regards,|sincerely,|dear|contact)\\s+)(?<v>"
                    + CAPITALISED + "(?:\\s+" + CAPITALISED + ")?)");
    private static final Set<String> NOT_NAMES = Set.of("the", "a", "an", "i", "we", "you", "he", "she", "it", "they",
            "sir", "madam", "team", "all", "customer", "support", "hello", "hi");

    private final Set<String> givenNames;

    PersonRecognizer(Set<String> givenNames) {
        this.givenNames = givenNames;
    }

    @Override
    public void find(String text, List<Finding> out) {
        Matcher m = HONORIFIC.matcher(text);
        while (m.find()) {
            out.add(new Finding(Category.TITLE, m.start("t"), m.end("t") + (m.end("t") < text.length() && text.charAt(m.end("t")) == '.' ? 1 : 0),
                    0.8, "pii:honorific"));
            out.add(new Finding(Category.PERSON, m.start("v"), m.end("v"), 0.85, "pii:honorific-name"));
        }
        m = INTRODUCTION.matcher(text);
        while (m.find()) {
            String first = m.group("v").split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (!NOT_NAMES.contains(first)) {
                out.add(new Finding(Category.PERSON, m.start("v"), m.end("v"), 0.6, "pii:introduction"));
            }
        }
        List<int[]> words = Words.spans(text);
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            if (!Character.isUpperCase(text.charAt(w[0])) || !givenNames.contains(text.substring(w[0], w[1]).toLowerCase(Locale.ROOT))) {
                continue;
            }
            int end = w[1];
            int j = i + 1;
            // Surnames: up to two following capitalised words separated only by a space.
            while (j < words.size() && j <= i + 2 && Character.isUpperCase(text.charAt(words.get(j)[0]))
                    && text.substring(end, words.get(j)[0]).equals(" ")) {
                end = words.get(j)[1];
                j++;
            }
            out.add(new Finding(Category.PERSON, w[0], end, j > i + 1 ? 0.85 : 0.7, "pii:given-name"));
            i = j - 1;
        }
    }
}
