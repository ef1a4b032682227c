package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DictionaryPhraseTest {
    /** The phrase a dictionary looks up is the one the regex it replaced made: whitespace runs one space, lower case. */
    @Test
    void phraseIsTheRegexCollapseLowerCased() {
        Random rnd = new Random(3);
        String alphabet = "aBcÄİΣ '-.\t\n\u000b\f\r\u00a0\u2003";
        for (int n = 0; n < 3000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(20); i > 0; i--) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String text = "x" + sb + "y";
            int start = rnd.nextInt(text.length());
            int end = start + rnd.nextInt(text.length() - start + 1);
            String expected = text.substring(start, end).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            assertThat(DictionaryRecognizer.phrase(text, start, end)).as("%s [%d, %d)", text, start, end).isEqualTo(expected);
        }
        assertThat(DictionaryRecognizer.phrase("in New \n  Mexico", 3, 16)).isEqualTo("new mexico");
    }
}
