package dev.llmplatform.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
