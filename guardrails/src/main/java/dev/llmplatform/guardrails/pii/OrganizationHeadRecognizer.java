package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Finding;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Organisations by the word that says what kind of body they are ({@code pii/organization-heads.txt}):
 * capitalised words before a head ("Halvorsen Foundation", "Copper Canyon Credit Union", "St. Catherine's
 * School") and "Head of Place" ("University of Ghana", "Bank of Canada"). Without a head noun or a legal suffix
 * a firm named after people ("Keller Whitfield") looks like a person; with one it scores above the person rule
 * (0.85) and a listed place (0.86), so "Ostrava Steelworks" and "Jade River Capital" are organisations. Leading
 * function and common words are not part of the name ("The", "Yesterday"), and a head after only generic
 * modifiers ("High School", "Social Media") is no name.
 */
final class OrganizationHeadRecognizer implements Recognizer {
    static final double SCORE = 0.9;
    private static final String WORD = "(?:\\p{Lu}[\\p{L}'’.-]*|&)";
    /** Heads that also name an organisation as "Head of Place". */
    private static final String OF_HEADS = "University|Bank|Museum|Institute|College|Academy|Church|Ministry|Department|Council|Society"
            + "|Federation|Association|Diocese|Orchestra|Library|School|Hospital|Chamber of Commerce|Port Authority";
    private static final Pattern HEAD_OF = Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + OF_HEADS + ")[ \\t]+of[ \\t]+(?:the[ \\t]+)?"
            + "\\p{Lu}[\\p{L}'’-]*(?:[ \\t]+\\p{Lu}[\\p{L}'’-]*){0,2}");
    private static final Set<String> GENERIC = Set.of("the", "a", "an", "our", "your", "my", "his", "her", "their", "its", "this",
            "that", "these", "those", "at", "in", "from", "by", "with", "for", "to", "of", "and", "&", "dear", "high", "social",
            "operating", "daylight", "sunday", "primary", "secondary", "middle", "elementary", "solar", "cloud", "open", "source",
            "data", "local", "every", "new", "old", "big", "small", "main", "central");

    private final Pattern headed;
    private final Set<String> commonWords;
    /** The first words of all heads, lower case: a text without one of them capitalised is not scanned. */
    private final Set<String> headStarts;

    OrganizationHeadRecognizer(Set<String> heads, Set<String> commonWords) {
        String alternation = heads.stream().sorted(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s))
                .map(OrganizationHeadRecognizer::capitalised).map(Pattern::quote).collect(Collectors.joining("|"));
        // Single spaces or tabs only: a name does not continue over a line break ("Anna Berg\nBank Manager"). The
        // head ends the name: before another capitalised word it is part of something else, mostly a job title
        // ("Senior Software Engineer", "Lead Systems Analyst").
        this.headed = Pattern.compile("(?<![\\p{L}\\p{N}])((?:" + WORD + "[ \\t]+){1,3})(?:" + alternation + ")(?![\\p{L}\\p{N}]|[ \\t]+\\p{Lu})");
        this.commonWords = commonWords;
        this.headStarts = java.util.stream.Stream.concat(heads.stream(), java.util.Arrays.stream(OF_HEADS.split("\\|")))
                .map(h -> h.toLowerCase(Locale.ROOT).split(" ")[0]).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether a word of the text could start a head; when none can (most prompts), the patterns cannot match and
     * are not run. Word spans keep inner apostrophes and hyphens, a head may follow or precede one ("Ex-Institute
     * of Guam", "Foundation's"), so their parts are checked too.
     */
    private boolean mayHoldAHead(Words words) {
        for (int w = 0; w < words.size(); w++) {
            String word = words.lower(w);
            int from = 0;
            for (int i = 0; i <= word.length(); i++) {
                if (i == word.length() || word.charAt(i) == '\'' || word.charAt(i) == '-') {
                    if (headStarts.contains(word.substring(from, i))) {
                        return true;
                    }
                    from = i + 1;
                }
            }
        }
        return false;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        if (!mayHoldAHead(words)) {
            return;
        }
        Matcher m = HEAD_OF.matcher(text);
        while (m.find()) {
            out.add(new Finding(Category.ORGANIZATION, m.start(), m.end(), SCORE, "pii:org-head-of"));
        }
        m = headed.matcher(text);
        while (m.find()) {
            int start = nameStart(text, m.start(1), m.end(1));
            if (start >= 0) {
                out.add(new Finding(Category.ORGANIZATION, start, m.end(), SCORE, "pii:org-head"));
            }
        }
    }

    /** Where the name proper begins: its first word that is not generic; -1 when only generic words precede the head. */
    private int nameStart(String text, int from, int to) {
        int i = from;
        while (i < to) {
            int end = i;
            while (end < to && text.charAt(end) != ' ' && text.charAt(end) != '\t') {
                end++;
            }
            String word = text.substring(i, end).toLowerCase(Locale.ROOT);
            if (!GENERIC.contains(word) && !commonWords.contains(word)) {
                return i;
            }
            while (end < to && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                end++;
            }
            i = end;
        }
        return -1;
    }

    private static String capitalised(String lowerPhrase) {
        return java.util.Arrays.stream(lowerPhrase.split(" ")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                .collect(Collectors.joining(" "));
    }
}
