package dev.llmplatform.guardrails;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds e-mail addresses and payment card numbers. Card candidates (13–19 digits, optionally grouped by
 * spaces or dashes) count only if they pass the Luhn checksum, which rules out most other long numbers.
 */
public final class ContactDataDetector implements Detector {
    public static final String EMAIL = "EMAIL_ADDRESS";
    public static final String CREDIT_CARD = "CREDIT_CARD";

    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "(?<![\\w.+-])[\\w.+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}(?![\\w-])");
    private static final Pattern CARD_PATTERN = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");

    @Override
    public List<Finding> detect(String text) {
        List<Finding> findings = new ArrayList<>();
        Matcher m = EMAIL_PATTERN.matcher(text);
        while (m.find()) {
            findings.add(new Finding(EMAIL, m.start(), m.end(), 0.95));
        }
        m = CARD_PATTERN.matcher(text);
        while (m.find()) {
            if (passesLuhn(m.group())) {
                findings.add(new Finding(CREDIT_CARD, m.start(), m.end(), 0.9));
            }
        }
        return findings;
    }

    static boolean passesLuhn(String digitsWithSeparators) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digitsWithSeparators.length() - 1; i >= 0; i--) {
            char c = digitsWithSeparators.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
