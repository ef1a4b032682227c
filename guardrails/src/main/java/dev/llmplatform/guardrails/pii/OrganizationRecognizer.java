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
 * Organisations by the shapes firm names take and by context: partner names ("Vazquez-Riggs", "Davis,
 * Reynolds and Williamson") where each part is a known surname, and capitalised names after employment
 * words ("works at Zillow", "employed by Guidestar"). Names with a legal suffix (Inc, GmbH) are found by a
 * pattern in {@link PiiDetector}.
 */
final class OrganizationRecognizer implements Recognizer {
    private static final String WORD = "\\p{Lu}[\\p{L}'’]+";
    /** Where HYPHENATED and PARTNERS can begin: a capital not after a letter (nor a hyphen). */
    static final FirstChars CAPITAL_NOT_AFTER_LETTER = FirstChars.ascii("A-Z").orNonAscii().notAfter("A-Za-z");
    static final Pattern HYPHENATED = Pattern.compile("(?<![\\p{L}-])(" + WORD + ")-(" + WORD + ")(?![\\p{L}-])");
    static final Pattern PARTNERS = Pattern.compile(
            "(?<!\\p{L})(" + WORD + "), (" + WORD + ")(?:,)? (?:and|&) (" + WORD + ")(?!\\p{L})");
    static final FirstChars CONTEXT_FIRST = FirstChars.ascii("cCdDeEfFhHiIjJmMoOsSvVwW");
    static final Pattern CONTEXT = Pattern.compile(
            "(?i:\\b(?:work(?:s|ed|ing)?\\s+(?:at|for|with)|employed\\s+(?:at|by)|employer(?:\\s+is)?|join(?:s|ed|ing)?"
                    + "|hired\\s+by|(?:company|firm|organi[sz]ation|corporation|startup|client|customer|vendor|supplier)(?:\\s+(?:called|named))?"
                    + "|on\\s+behalf\\s+of|(?:ceo|cto|cfo|founder|director|manager|employee|intern)\\s+(?:of|at))\\s+)"
                    + "(?<v>" + WORD + "(?:\\s+" + WORD + "){0,2})");

    private final Set<String> surnames;
    private final Set<String> givenNames;
    private final Set<String> notNames;

    OrganizationRecognizer(Set<String> surnames, Set<String> givenNames, Set<String> notNames) {
        this.surnames = surnames;
        this.givenNames = givenNames;
        this.notNames = notNames;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        FirstChars.Scan hyphenated = CAPITAL_NOT_AFTER_LETTER.scan(HYPHENATED, text);
        while (hyphenated.find()) {
            MatchResult m = hyphenated.match();
            // Two given names ("Jean-Baptiste", "Anne-Marie") make one person's given name, not a firm.
            boolean givenName = givenNames.contains(m.group(1).toLowerCase(Locale.ROOT)) && givenNames.contains(m.group(2).toLowerCase(Locale.ROOT));
            if (known(m.group(1)) && known(m.group(2)) && !givenName) {
                out.add(new Finding(Category.ORGANIZATION, m.start(), m.end(), 0.8, "pii:org-partners"));
            }
        }
        FirstChars.Scan partners = CAPITAL_NOT_AFTER_LETTER.scan(PARTNERS, text);
        while (partners.find()) {
            MatchResult m = partners.match();
            if (known(m.group(1)) && known(m.group(2)) && known(m.group(3))) {
                out.add(new Finding(Category.ORGANIZATION, m.start(), m.end(), 0.85, "pii:org-partners"));
            }
        }
        FirstChars.Scan context = CONTEXT_FIRST.scan(CONTEXT, text);
        while (context.find()) {
            MatchResult m = context.match();
            if (!notNames.contains(m.group("v").split("\\s+")[0].toLowerCase(Locale.ROOT))) {
                out.add(new Finding(Category.ORGANIZATION, m.start("v"), m.end("v"), 0.75, "pii:org-context"));
            }
        }
    }

    private boolean known(String word) {
        return surnames.contains(word.toLowerCase(Locale.ROOT));
    }
}
