package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks that used to compile a regular expression on every call now walk the characters; they must answer what the
 * expressions answered, on random strings over the characters that matter to them.
 */
class RegexFreeChecksTest {
    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Test
    void streetWordStripIsTheTrailingPunctuationReplace() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String word = random(random, "Aa.’'-Sß", 8);
            assertThat(StreetRecognizer.strip(word)).as(word)
                    .isEqualTo(word.replaceAll("[.’']+$", "").toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void phonePlausibilityIsTheDigitCountOfTheExpressions() {
        Random random = new Random(13);
        for (int i = 0; i < 50_000; i++) {
            String candidate = random(random, "0123456789111 -()+xXet.٣", 22);
            String digits = candidate.replaceAll("(?i)(x|ext\\.?)\\s?\\d+$", "").replaceAll("\\D", "");
            boolean expected = digits.length() >= 7 && digits.length() <= 15 && digits.chars().distinct().count() > 1;
            assertThat(PiiDetector.plausiblePhone(candidate)).as(candidate).isEqualTo(expected);
        }
        assertThat(PiiDetector.plausiblePhone("+49 30 1234 5678")).isTrue();
        assertThat(PiiDetector.plausiblePhone("555 123 4567")).isTrue();
        assertThat(PiiDetector.plausiblePhone("1111111")).isFalse();
        assertThat(PiiDetector.plausiblePhone("555 555 5555")).isFalse();
        assertThat(PiiDetector.plausiblePhone("123456 ext. 789")).isFalse();
    }
}
