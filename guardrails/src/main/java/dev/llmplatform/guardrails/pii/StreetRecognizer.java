package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses anchored on a house number: a street name whose last word is (or ends with) a street
 * suffix from the gazetteer ("24 Clarke Avenue", "Koskikatu 25", "Hauptstraße 5"), or that starts with a
 * street prefix ("Rue de la Paix 12", "12 Calle Mayor"). Without a number next to it a street-like
 * phrase is not reported: too many ordinary phrases end in "Park" or "Way".
 */
final class StreetRecognizer implements Recognizer {
    private static final String WORD = "\\p{Lu}[\\p{L}'’.-]*";
    private static final String PARTICLE = "(?:de|del|de la|di|da|do|dos|das|van|von|der|des|du|la|le|los|las)";
    /** Up to five words, capitalised or name particles, separated by single spaces. */
    private static final Pattern NAME = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?<name>" + WORD + "(?:[ ](?:" + PARTICLE + "[ ])?" + WORD + "){0,4})");
    private static final Pattern NUMBER_BEFORE = Pattern.compile("(?<![\\p{L}\\p{N}])(?<n>\\d{1,5}[A-Za-z]?),?[ ]$");
    private static final Pattern NUMBER_AFTER = Pattern.compile("^,?[ ](?<n>\\d{1,5}[A-Za-z]?)(?![\\p{L}\\p{N}])");

    private final Set<String> suffixes;
    private final Set<String> prefixes;

    StreetRecognizer(Set<String> suffixes, Set<String> prefixes) {
        this.suffixes = suffixes;
        this.prefixes = prefixes;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            String[] names = m.group("name").split(" ");
            // The street may be a tail of the capitalised run ("Dear Anna Clarke Avenue" is unlikely, "Visit 5 Main Street" is not).
            int start = m.start("name");
            int end = -1;
            for (int i = names.length - 1; i >= 0 && end < 0; i--) {
                if (isSuffix(names[i])) {
                    end = start + String.join(" ", java.util.Arrays.copyOf(names, i + 1)).length();
                }
            }
            if (end < 0 && prefixes.contains(strip(names[0]))) {
                end = m.end("name");
            }
            if (end < 0) {
                continue;
            }
            Matcher before = NUMBER_BEFORE.matcher(text.substring(Math.max(0, start - 8), start));
            Matcher after = NUMBER_AFTER.matcher(text.substring(end, Math.min(text.length(), end + 8)));
            if (before.find()) {
                out.add(new Finding(Category.STREET_ADDRESS, start - (before.end() - before.start("n")), end, 0.85, "pii:street"));
            } else if (after.find()) {
                out.add(new Finding(Category.STREET_ADDRESS, start, end + after.end("n"), 0.85, "pii:street"));
            }
        }
    }

    private boolean isSuffix(String word) {
        String w = strip(word);
        if (suffixes.contains(w)) {
            return true;
        }
        // Compound street names: "Koskikatu", "Lindenstraße", "Storgatan".
        for (int k = Math.min(w.length() - 3, 8); k >= 4; k--) {
            if (suffixes.contains(w.substring(w.length() - k))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The word lower-cased without its trailing dots and apostrophes ("St." → "st"): what replacing {@code [.’']+$}
     * did, without compiling that expression on every call (a word holds no line break, so {@code $} is its end).
     */
    static String strip(String word) {
        int end = word.length();
        while (end > 0 && (word.charAt(end - 1) == '.' || word.charAt(end - 1) == '’' || word.charAt(end - 1) == '\'')) {
            end--;
        }
        return word.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
