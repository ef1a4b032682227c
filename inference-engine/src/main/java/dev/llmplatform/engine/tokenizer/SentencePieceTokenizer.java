package dev.llmplatform.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE as llama.cpp runs it ({@code tokenizer.ggml.model} = {@code llama}): spaces become
 * ▁ (with one prepended at the start of the text and after each special token when add_space_prefix
 * is set), the text starts as one symbol per code point, and adjacent symbols whose concatenation is
 * a vocabulary token merge, highest token score first (leftmost on ties), until nothing merges.
 * Symbols left that are not tokens fall back to byte tokens {@code <0xNN>}.
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer {
    static final char SPACE_MARK = '\u2581';

    SentencePieceTokenizer(Vocabulary vocab) {
        super(vocab);
    }

    @Override
    byte[] normalPiece(String text) {
        return text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    boolean stripsLeadingSpace() {
        return vocab.addSpacePrefix();
    }

    /** A candidate merge of two adjacent symbols. */
    private record Bigram(int left, int right, float score, int length) {
    }

    @Override
    void encodeFragment(String fragment, boolean atStart, IntArrayBuilder out) {
        String text = (vocab.addSpacePrefix() && atStart ? " " + fragment : fragment).replace(' ', SPACE_MARK);
        if (text.isEmpty()) {
            return;
        }
        Symbols symbols = Symbols.ofCodePoints(text);
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, symbols.count()),
                (a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < symbols.count(); i++) {
            addBigram(symbols, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left;
            int right = bigram.right;
            // stale when either side has merged since: then a side is empty or the lengths changed
            if (symbols.length[left] == 0 || symbols.length[right] == 0
                    || symbols.length[left] + symbols.length[right] != bigram.length) {
                continue;
            }
            symbols.mergeWithNext(left);
            addBigram(symbols, symbols.prev[left], left, queue);
            addBigram(symbols, left, symbols.next[left], queue);
        }
        for (int i = 0; i >= 0; i = symbols.next[i]) {
            int id = vocab.id(symbols.source, symbols.start[i], symbols.length[i]);
            if (id >= 0) {
                out.add(id);
            } else {
                for (byte b : symbols.text(i).getBytes(StandardCharsets.UTF_8)) {
                    out.add(byteFallback(b));
                }
            }
        }
    }

    private void addBigram(Symbols symbols, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        int length = symbols.length[left] + symbols.length[right];
        int id = vocab.id(symbols.source, symbols.start[left], length);
        if (id >= 0) {
            queue.add(new Bigram(left, right, vocab.score(id), length));
        }
    }

    /** The token for one byte of a symbol that is not in the vocabulary. */
    private int byteFallback(byte b) {
        int id = byteTokenId(b);
        if (id < 0 && b >= 0) {
            id = vocab.id(String.valueOf((char) b)); // vocabularies without byte tokens may hold ASCII as text
        }
        if (id < 0) {
            id = vocab.specialTokens().unknown();
        }
        if (id < 0) {
            throw new IllegalStateException(String.format(
                    "vocabulary has no token for byte 0x%02X and no unknown token", b & 0xFF));
        }
        return id;
    }
}
