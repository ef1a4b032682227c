package dev.llmplatform.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmbeddedTextTest {
    private static String words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    private static int wordCount(String text, int[] span) {
        return text.substring(span[0], span[1]).split(" ").length;
    }

    @Test
    void aShortTextIsOneWindow() {
        String t = words(EmbeddedText.WINDOW_WORDS);
        assertThat(EmbeddedText.windows(t)).singleElement().satisfies(w -> assertThat(t.substring(w[0], w[1])).isEqualTo(t));
    }

    @Test
    void theLastWindowIsFullLengthAndEndsAtTheText() {
        // 165 words: before, the second window was words 141-165 alone (a 25-word tail scored without context).
        for (int n : new int[] {EmbeddedText.WINDOW_WORDS + 1, 165, 300, 301, 1000}) {
            String t = words(n);
            List<int[]> windows = EmbeddedText.windows(t);
            assertThat(windows).as("%d words", n).allSatisfy(w -> assertThat(wordCount(t, w)).isEqualTo(EmbeddedText.WINDOW_WORDS));
            assertThat(windows.getFirst()[0]).isZero();
            assertThat(windows.getLast()[1]).isEqualTo(t.length());
            for (int i = 1; i < windows.size(); i++) {
                assertThat(windows.get(i)[0]).as("windows overlap or touch").isLessThan(windows.get(i - 1)[1]);
            }
        }
    }

    @Test
    void onlyTheRequestedWindowsAreEmbeddedAndEachOnce() {
        List<String> embedded = new ArrayList<>();
        TextEmbedder counting = texts -> {
            embedded.addAll(texts);
            return texts.stream().map(s -> new float[] {s.length()}).toList();
        };
        EmbeddedText t = new EmbeddedText(words(400), counting);
        assertThat(t.windows()).hasSize(3);
        assertThat(t.vectors(new int[] {2})).singleElement().satisfies(v -> assertThat(v[0]).isEqualTo(t.window(2).length()));
        assertThat(embedded).containsExactly(t.window(2));
        assertThat(t.vectors()).hasSize(3);
        assertThat(embedded).containsExactly(t.window(2), t.window(0), t.window(1));
    }
}
