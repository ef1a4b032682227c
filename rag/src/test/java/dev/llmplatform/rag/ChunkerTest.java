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
}
