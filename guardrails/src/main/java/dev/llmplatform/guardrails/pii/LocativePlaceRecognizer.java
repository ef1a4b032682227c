package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A listed place right after a locative preposition ("in Milan", "from Bergen", "near Kyoto"). The list alone
 * cannot tell the city Milan from the given name Milan; the preposition can, so this outranks the person rule
 * (0.85) and a listed phrase (0.86). Where the place is also a given name or surname, only prepositions that
 * rarely introduce a person count ("a message from Milan" may be from a man). In text typed all in lower case
 * the place need not be capitalised ("stuck in traffic outside boston").
 */
final class LocativePlaceRecognizer implements Recognizer {
    static final double SCORE = 0.88;
    private static final int MAX_WORDS = 4;
    private static final Set<String> PLACE_ONLY = Set.of("in", "near", "outside", "around", "across", "via", "into", "throughout",
            "within", "between");
    private static final Set<String> ANY_PLACE = Set.of("from", "to", "towards", "toward", "at");

    private final Set<String> places;
    private final Set<String> countries;
    private final Set<String> names;
    private final Set<String> commonWords;

    LocativePlaceRecognizer(Set<String> places, Set<String> countries, Set<String> names, Set<String> commonWords) {
        this.places = places;
        this.countries = countries;
        this.names = names;
        this.commonWords = commonWords;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        boolean lowerCaseText = text.chars().noneMatch(Character::isUpperCase);
        for (int i = 0; i + 1 < words.size(); i++) {
            String preposition = words.lower(i);
            boolean placeOnly = PLACE_ONLY.contains(preposition);
            if (!placeOnly && !ANY_PLACE.contains(preposition) || !spaceBetween(text, words.get(i), words.get(i + 1))) {
                continue;
            }
            int[] first = words.get(i + 1);
            if (!lowerCaseText && !Character.isUpperCase(text.charAt(first[0]))) {
                continue;
            }
            int n = longestListedPhrase(text, words, i + 1);
            if (n == 0) {
                continue;
            }
            int end = words.get(i + n)[1];
            String phrase = text.substring(first[0], end).toLowerCase(Locale.ROOT);
            if (n == 1 && (commonWords.contains(phrase) || !placeOnly && names.contains(phrase)) || continuesCapitalised(text, end)) {
                continue;
            }
            out.add(new Finding(Category.GPE, first[0], end, SCORE, "pii:place-after-preposition"));
            i += n;
        }
    }

    /** Words from {@code from} on that make a listed place, separated by single spaces; 0 when none. */
    private int longestListedPhrase(String text, List<int[]> words, int from) {
        int best = 0;
        StringBuilder phrase = new StringBuilder();
        for (int n = 1; n <= MAX_WORDS && from + n - 1 < words.size(); n++) {
            int[] w = words.get(from + n - 1);
            if (n > 1) {
                if (!spaceBetween(text, words.get(from + n - 2), w)) {
                    break;
                }
                phrase.append(' ');
            }
            phrase.append(text, w[0], w[1]);
            String key = phrase.toString().toLowerCase(Locale.ROOT);
            if (places.contains(key) || countries.contains(key)) {
                best = n;
            }
        }
        return best;
    }

    /** A listed place that is only the start of a longer name ("Port" of "Port Michaelmouth") is not the place. */
    private static boolean continuesCapitalised(String text, int end) {
        return end + 1 < text.length() && text.charAt(end) == ' ' && Character.isUpperCase(text.charAt(end + 1));
    }

    private static boolean spaceBetween(String text, int[] a, int[] b) {
        return b[0] == a[1] + 1 && text.charAt(a[1]) == ' ';
    }
}
