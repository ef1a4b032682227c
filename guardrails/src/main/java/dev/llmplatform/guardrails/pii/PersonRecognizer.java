package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.text.FirstChars;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Person names by three honest signals: a known given name or surname (project and datafaker word lists,
 * {@link Gazetteer}) with up to two adjacent capitalised words; an honorific ({@code Mr.}, {@code Dr.}, ...) followed by capitalised words (which
 * also yields a {@code TITLE}); and introductions ("my name is ...", "I am ...").
 */
final class PersonRecognizer implements Recognizer {
    private static final String CAPITALISED = "\\p{Lu}[\\p{L}'’-]+";
    /**
     * Forms of address, which the name lists also hold ("Sir" is a given name there): alone they name no one
     * ("Dear Sir,"); before a name the honorific rule finds the name.
     */
    private static final java.util.Set<String> TITLES = java.util.Set.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof",
            "sir", "dame", "madam", "madame", "lord", "lady", "herr", "frau", "mme", "mlle", "sr", "sra");

    static final Pattern HONORIFIC = Pattern.compile(
            "\\b(?<t>Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra)\\b\\.?\\s+(?<v>" + CAPITALISED + "(?:\\s+" + CAPITALISED + ")?)");
    static final FirstChars HONORIFIC_FIRST = FirstChars.ascii("DFHMPS");
    static final Pattern INTRODUCTION = Pattern.compile(
            "(?i:\\b(?:my name is|i am|i'm|this is|named|called|signed|regards,|sincerely,|dear|contact)\\s+)(?<v>"
                    + CAPITALISED + "(?:\\s+" + CAPITALISED + ")?)");
    static final FirstChars INTRODUCTION_FIRST = FirstChars.ascii("cCdDiImMnNrRsStT");
    private static final Set<String> NOT_NAMES = Set.of("the", "a", "an", "i", "we", "you", "he", "she", "it", "they",
            "sir", "madam", "team", "all", "customer", "support", "hello", "hi");

    private final Set<String> givenNames;
    private final Set<String> surnames;
    private final Set<String> commonWords;
    private final Set<String> otherSenses;
    /** "Group", "Inc", "GmbH": a name followed by one of these names a company ("Greenfelder Group"), not a person. */
    private final Set<String> companySuffixes;

    /**
     * @param otherSenses words the name lists share with other kinds of names — nationalities and languages
     *                    ("German"), countries ("Jordan"): alone, such a word is more likely that other thing
     */
    PersonRecognizer(Set<String> givenNames, Set<String> surnames, Set<String> commonWords, Set<String> otherSenses,
                     Set<String> companySuffixes) {
        this.givenNames = givenNames;
        this.surnames = surnames;
        this.commonWords = commonWords;
        this.otherSenses = otherSenses;
        this.companySuffixes = companySuffixes;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        FirstChars.Scan honorifics = HONORIFIC_FIRST.scan(HONORIFIC, text);
        while (honorifics.find()) {
            MatchResult m = honorifics.match();
            out.add(new Finding(Category.TITLE, m.start("t"), m.end("t") + (m.end("t") < text.length() && text.charAt(m.end("t")) == '.' ? 1 : 0),
                    0.8, "pii:honorific"));
            out.add(new Finding(Category.PERSON, m.start("v"), m.end("v"), 0.85, "pii:honorific-name"));
        }
        FirstChars.Scan introductions = INTRODUCTION_FIRST.scan(INTRODUCTION, text);
        while (introductions.find()) {
            MatchResult m = introductions.match();
            String first = m.group("v").split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (!NOT_NAMES.contains(first)) {
                out.add(new Finding(Category.PERSON, m.start("v"), m.end("v"), 0.6, "pii:introduction"));
            }
        }
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            if (!Character.isUpperCase(text.charAt(w[0]))) {
                continue; // most words: no need to look them up
            }
            String lower = words.lower(i);
            boolean given = givenNames.contains(lower);
            if (commonWords.contains(lower) || TITLES.contains(lower)
                    || !given && !surnames.contains(lower)) {
                continue;
            }
            int end = w[1];
            int j = i + 1;
            // Further names: up to two following capitalised words separated only by a space.
            while (j < words.size() && j <= i + 2 && Character.isUpperCase(text.charAt(words.get(j)[0]))
                    && text.substring(end, words.get(j)[0]).equals(" ")
                    && !commonWords.contains(words.lower(j))
                    && !companySuffixes.contains(words.lower(j))) {
                end = words.get(j)[1];
                j++;
            }
            if (j < words.size() && text.substring(end, words.get(j)[0]).equals(" ")
                    && companySuffixes.contains(words.lower(j))) {
                i = j;
                continue;
            }
            double score;
            if (j > i + 1) {
                score = 0.85;
            } else if (otherSenses.contains(lower)) {
                // "into German", "Jordan": a lone word that also names a language, people or country stays below
                // the usual threshold, so a request is not rewritten over an ordinary word.
                score = 0.6;
            } else if (given) {
                score = 0.75;
            } else {
                // A lone surname: many are also ordinary words, so at a sentence start it stays below the usual threshold.
                score = sentenceStart(text, w[0]) ? 0.6 : 0.7;
            }
            out.add(new Finding(Category.PERSON, w[0], end, score, "pii:name-list"));
            i = j - 1;
        }
    }

    /** "Sir", "Madam", "Sir or Madam": forms of address (and words such as "Team") that name no one. */
    static boolean formOfAddressOnly(String span) {
        for (String w : span.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
            if (!w.isEmpty() && !w.equals("or") && !w.equals("and") && !TITLES.contains(w) && !NOT_NAMES.contains(w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sentenceStart(String text, int at) {
        int k = at - 1;
        while (k >= 0 && Character.isWhitespace(text.charAt(k)) && text.charAt(k) != '\n') {
            k--;
        }
        return k < 0 || ".!?\n\"“".indexOf(text.charAt(k)) >= 0;
    }
}
