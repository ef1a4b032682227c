package dev.llmplatform.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmbeddedTextTest {
    /** An embedder that cannot count tokens: texts are windowed by words. */
    private static final TextEmbedder WORDS_ONLY = texts -> texts.stream().map(s -> new float[] {s.length()}).toList();

    /** An embedder whose encoder reads texts of up to {@code words} words whole. */
    private static TextEmbedder readingWhole(int words) {
        return new TextEmbedder() {
            @Override
            public List<float[]> embed(List<String> texts) {
                return WORDS_ONLY.embed(texts);
            }

            @Override
            public boolean readsWhole(String text) {
                return text.split(" ").length <= words;
            }
        };
    }
    private static String words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
    }

    private static int wordCount(String text, int[] span) {
        return text.substring(span[0], span[1]).split(" ").length;
    }

    @Test
    void aShortTextIsOneWindow() {
        String t = words(EmbeddedText.WINDOW_WORDS);
        assertThat(EmbeddedText.windows(t, WORDS_ONLY)).singleElement().satisfies(w -> assertThat(t.substring(w[0], w[1])).isEqualTo(t));
    }

    @Test
    void theLastWindowIsFullLengthAndEndsAtTheText() {
        // 165 words: before, the second window was words 141-165 alone (a 25-word tail scored without context).
        for (int n : new int[] {EmbeddedText.WINDOW_WORDS + 1, 165, 300, 301, 1000}) {
            String t = words(n);
            List<int[]> windows = EmbeddedText.windows(t, WORDS_ONLY);
            assertThat(windows).as("%d words", n).allSatisfy(w -> assertThat(wordCount(t, w)).isEqualTo(EmbeddedText.WINDOW_WORDS));
            assertThat(windows.getFirst()[0]).isZero();
            assertThat(windows.getLast()[1]).isEqualTo(t.length());
            for (int i = 1; i < windows.size(); i++) {
                assertThat(windows.get(i)[0]).as("windows overlap or touch").isLessThan(windows.get(i - 1)[1]);
            }
        }
    }

    @Test
    void aLongTextTheEncoderReadsWholeIsOneWindow() {
        // The 1 KB benchmark prompt (165 words, about 220 tokens) used to go through the encoder twice.
        String t = "  " + words(165) + " ";
        assertThat(EmbeddedText.windows(t, readingWhole(200))).singleElement()
                .satisfies(w -> assertThat(t.substring(w[0], w[1])).isEqualTo(t.strip()));
        assertThat(EmbeddedText.windows(t, readingWhole(164))).hasSize(2);
        assertThat(EmbeddedText.windows(" \n ", readingWhole(200))).isEmpty();
    }

    @Test
    void vectorsOfEachEncoderDepthAreKeptApart() {
        List<Integer> depths = new ArrayList<>();
        TextEmbedder byDepth = new TextEmbedder() {
            @Override
            public List<float[]> embed(List<String> texts) {
                return embed(texts, ALL_LAYERS);
            }

            @Override
            public List<float[]> embed(List<String> texts, int layers) {
                depths.add(layers);
                return texts.stream().map(s -> new float[] {layers}).toList();
            }
        };
        EmbeddedText t = new EmbeddedText(words(10), byDepth);
        assertThat(t.vectors(new int[] {0}, 2).getFirst()[0]).isEqualTo(2);
        assertThat(t.vectors().getFirst()[0]).isEqualTo(TextEmbedder.ALL_LAYERS);
        assertThat(t.vectors(new int[] {0}, 2).getFirst()[0]).isEqualTo(2);
        assertThat(depths).containsExactly(2, TextEmbedder.ALL_LAYERS);
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
