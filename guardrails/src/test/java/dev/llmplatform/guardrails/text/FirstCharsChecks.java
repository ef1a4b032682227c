package dev.llmplatform.guardrails.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** For the detectors' tests: that the first characters stated for an expression lose none of its matches. */
public final class FirstCharsChecks {
    private FirstCharsChecks() {
    }

    /**
     * Asserts that a {@link FirstChars.Scan} finds in each text exactly what {@link Matcher#find()} finds (positions
     * and every group), and returns how many matches there were over all texts, so a caller can insist on some.
     */
    public static int assertScanFindsWhatFindFinds(String name, Pattern pattern, FirstChars first, List<String> texts) {
        int matches = 0;
        for (String text : texts) {
            List<String> plain = new ArrayList<>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                plain.add(describe(m));
            }
            List<String> scanned = new ArrayList<>();
            FirstChars.Scan scan = first.scan(pattern, text);
            while (scan.find()) {
                scanned.add(describe(scan.match()));
            }
            assertThat(scanned).as("%s in \"%s\"", name, text).isEqualTo(plain);
            matches += plain.size();
        }
        return matches;
    }

    /** The texts, each also in lower and in upper case (case-insensitive expressions and first-letter sets). */
    public static List<String> withCaseVariants(List<String> texts) {
        List<String> all = new ArrayList<>(texts);
        for (String t : texts) {
            all.add(t.toLowerCase(Locale.ROOT));
            all.add(t.toUpperCase(Locale.ROOT));
        }
        return all;
    }

    private static String describe(MatchResult m) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g <= m.groupCount(); g++) {
            sb.append('[').append(m.start(g)).append(',').append(m.end(g)).append(')');
        }
        return sb.toString();
    }
}
