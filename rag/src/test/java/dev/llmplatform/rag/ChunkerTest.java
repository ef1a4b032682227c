package dev.llmplatform.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    @Test
    void shortTextIsOneChunk() {
        List<Chunk> chunks = new Chunker(100, 10).split("d", "  Hello world.  ");
        assertThat(chunks).containsExactly(new Chunk("d", 0, "Hello world.", 2, 14));
    }

    @Test
    void cutsAtSentenceEndsAndOverlaps() {
        String text = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota. Kappa lambda mu. Nu xi omicron.";
        List<Chunk> chunks = new Chunker(40, 12).split("d", text);
        assertThat(chunks).hasSizeGreaterThan(1);
        for (Chunk c : chunks) {
            assertThat(c.text().length()).isLessThanOrEqualTo(40);
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text());
        }
        assertThat(chunks.get(0).text()).endsWith(".");
        // consecutive chunks overlap, and together they cover the whole text
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).start()).isLessThan(chunks.get(i - 1).end());
        }
        assertThat(chunks.getLast().end()).isEqualTo(text.length());
    }

    @Test
    void prefersParagraphBreaks() {
        String text = "First paragraph has some words in it.\n\nSecond paragraph follows here and is long.";
        List<Chunk> chunks = new Chunker(60, 0).split("d", text);
        assertThat(chunks.get(0).text()).isEqualTo("First paragraph has some words in it.");
        assertThat(chunks.get(1).text()).startsWith("Second");
    }

    @Test
    void everyCharacterIsCoveredForRandomText() {
        Random random = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(random.nextInt(10) == 0 ? ". " : random.nextInt(6) == 0 ? " " : (char) ('a' + random.nextInt(26)));
        }
        String text = sb.toString();
        List<Chunk> chunks = new Chunker(200, 40).split("d", text);
        boolean[] covered = new boolean[text.length()];
        for (Chunk c : chunks) {
            assertThat(c.text().length()).isLessThanOrEqualTo(200);
            for (int i = c.start(); i < c.end(); i++) {
                covered[i] = true;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                assertThat(covered[i]).as("character %d covered", i).isTrue();
            }
        }
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> new Chunker(8, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(100, 60)).isInstanceOf(IllegalArgumentException.class);
    }

    /** One token per whitespace-separated word: a tokenizer stand-in whose counts are easy to check by eye. */
    private static final TokenCounter WORDS = t -> t.isBlank() ? 0 : t.strip().split("\\s+").length;

    @Test
    void sizesChunksInTokensOfTheGivenCounter() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("word").append(i).append(i % 12 == 11 ? ". " : " ");
        }
        String text = sb.toString().strip();
        List<Chunk> chunks = new Chunker(40, 8, WORDS).split("d", text);
        for (Chunk c : chunks) {
            assertThat(WORDS.count(c.text())).isLessThanOrEqualTo(40);
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text());
        }
        // cut at sentence ends (every 12th word ends one), and overlap by at most 8 words
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertThat(chunks.get(i).text()).endsWith(".");
            int overlap = chunks.get(i).end() - chunks.get(i + 1).start();
            assertThat(overlap).isPositive();
            assertThat(WORDS.count(text.substring(chunks.get(i + 1).start(), chunks.get(i).end()))).isLessThanOrEqualTo(8);
        }
        assertThat(chunks.getLast().end()).isEqualTo(text.length());
    }

    @Test
    void prefersToCutBeforeAHeading() {
        String text = "# Intro\n\nOne two three four five six seven. Eight nine ten eleven twelve.\n\n"
                + "## Details\n\nThirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty. More words here.";
        List<Chunk> chunks = new Chunker(24, 0, WORDS).split("d", text);
        assertThat(chunks.get(1).text()).startsWith("## Details");
    }

    @Test
    void hardCutsNeverSplitASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 units
        String text = emoji.repeat(50);
        List<Chunk> chunks = new Chunker(17, 0).split("d", text);
        assertThat(chunks).hasSizeGreaterThan(2);
        for (Chunk c : chunks) {
            assertThat(Character.isLowSurrogate(c.text().charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(c.text().charAt(c.text().length() - 1))).isFalse();
            assertThat(c.text().length()).isLessThanOrEqualTo(17);
        }
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
    }
}
