package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tagger's shipped weights sit in buckets of these hashes: a hash computed without a substring must be the same. */
class TaggerFeatureHashTest {
    @Test
    void hashOfARangeIsTheHashOfTheSubstring() {
        for (String w : List.of("", "a", "of", "smith", "müller", "straße", "東京都", "o'neil-jones")) {
            for (int from = 0; from <= w.length(); from++) {
                for (int to = from; to <= w.length(); to++) {
                    assertThat(TaggerFeatures.hash("p3=", w, from, to)).as("%s[%d,%d)", w, from, to)
                            .isEqualTo(TaggerFeatures.hash("p3=", w.substring(from, to)));
                }
            }
        }
    }

    private static final List<String> WORDS = List.of("", "a", "A", "of", "Smith", "SMITH", "müller", "Straße", "東京都", "O'Neil-Jones",
            "555-1234", "1234567", "Washington", "x2", "A1b2C3", ".", ",", "€", "Ünal", "e.g.", "12th", "iPhone", "ABCdef123---");

    @Test
    void theLongShapeHashIsTheHashOfTheLongShape() {
        for (String w : WORDS) {
            String text = "[" + w + "]";
            assertThat(TaggerFeatures.longShapeHash(text, 1, 1 + w.length())).as(w)
                    .isEqualTo(TaggerFeatures.longShape(text, 1, 1 + w.length()).hashCode());
        }
    }

    @Test
    void theJoinedHashIsTheHashOfTheJoinedString() {
        for (String a : WORDS) {
            for (String b : WORDS) {
                assertThat(TaggerFeatures.joinedHash(a, '|', b)).as("%s|%s", a, b).isEqualTo((a + "|" + b).hashCode());
            }
        }
    }

    /** Shapes of one or two classes come from a table of shared strings; they must be the strings the classes spell. */
    @Test
    void sharedShortShapesAreTheShapesSpelledOut() {
        Random random = new Random(7);
        String alphabet = "aZ9-.' xÉß1Q";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder w = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                w.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            StringBuilder expected = new StringBuilder();
            for (int c = 0; c < w.length(); c++) {
                char ch = w.charAt(c);
                char cls = Character.isUpperCase(ch) ? 'X' : Character.isLetter(ch) ? 'x' : Character.isDigit(ch) ? 'd' : ch;
                if (expected.isEmpty() || expected.charAt(expected.length() - 1) != cls) {
                    expected.append(cls);
                }
            }
            assertThat(TaggerFeatures.shortShape(w.toString())).as(w.toString()).isEqualTo(expected.toString());
        }
    }
}
