package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Set;

/**
 * Town names by their shape, for towns no list can hold: a capitalised word ending in a common town suffix
 * ("-ville", "-burgh", "-mouth", "-stad", "-järvi") or a town prefix before a capitalised word ("Port
 * Elizabeth", "Lake Charles"). Prefixes and suffixes come from the gazetteer.
 */
final class CityNameRecognizer implements Recognizer {
    private final Set<String> prefixes;
    private final Set<String> suffixes;
    private final Set<String> commonWords;

    CityNameRecognizer(Set<String> prefixes, Set<String> suffixes, Set<String> commonWords) {
        this.prefixes = prefixes;
        this.suffixes = suffixes.stream().filter(s -> s.length() >= 3).collect(java.util.stream.Collectors.toSet());
        this.commonWords = commonWords;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            if (!Character.isUpperCase(text.charAt(w[0]))) {
                continue;
            }
            String lower = words.lower(i);
            boolean prefixed = prefixes.contains(lower) && i + 1 < words.size()
                    && text.substring(w[1], words.get(i + 1)[0]).equals(" ")
                    && Character.isUpperCase(text.charAt(words.get(i + 1)[0]));
            if (prefixed) {
                // Above the person rule's two capitalised words (0.85): "Lake Jessica", "Port Alexandra" are towns.
                out.add(new Finding(Category.GPE, w[0], words.get(i + 1)[1], DictionaryRecognizer.PHRASE_SCORE, "pii:town-prefix"));
                i++;
            } else if (!commonWords.contains(lower) && hasSuffix(lower)) {
                out.add(new Finding(Category.GPE, w[0], w[1], 0.7, "pii:town-suffix"));
            }
        }
    }

    private boolean hasSuffix(String word) {
        for (int k = 3; k <= Math.min(7, word.length() - 3); k++) {
            if (suffixes.contains(word.substring(word.length() - k))) {
                return true;
            }
        }
        return false;
    }
}
