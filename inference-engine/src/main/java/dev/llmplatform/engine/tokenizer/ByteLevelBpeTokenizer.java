package dev.llmplatform.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * Byte-level BPE as llama.cpp runs it ({@code tokenizer.ggml.model} = {@code gpt2}): the family's
 * pre-tokenizer splits text into words, each word's UTF-8 bytes are written as GPT-2's byte characters,
 * and within each word adjacent symbols merge by the rank of their pair in {@code tokenizer.ggml.merges}
 * (lowest rank first, leftmost on ties) until no listed pair is left.
 *
 * <p>Decoding does not apply Hugging Face's clean_up_tokenization_spaces: the text is exactly the
 * tokens' bytes, which is what streaming needs and what makes decode(encode(x)) == x.
 */
public final class ByteLevelBpeTokenizer extends VocabularyTokenizer {
    private final PreTokenizer preTokenizer;
    private final MergeRanks merges;

    ByteLevelBpeTokenizer(Vocabulary vocab, PreTokenizer preTokenizer) {
        this.preTokenizer = preTokenizer; // set before super(), whose piece table depends on it
        super(vocab);
        this.merges = new MergeRanks(vocab.merges(), vocab);
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    @Override
    byte[] normalPiece(String text) {
        if (preTokenizer.byteLevel()) {
            return ByteLevelEncoding.decode(text);
        }
        return text.replace(SentencePieceTokenizer.SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    /** A candidate merge; {@code resultId} is the merged token's id, or -1 if it is not a token. */
    private record Bigram(int left, int right, int rank, int length, int resultId) {
    }

    @Override
    void encodeFragment(String fragment, boolean atStart, IntArrayBuilder out) {
        String text = preTokenizer.escapesWhitespace() ? fragment.replace(' ', SentencePieceTokenizer.SPACE_MARK) : fragment;
        for (String word : preTokenizer.split(text)) {
            encodeWord(preTokenizer.byteLevel() ? ByteLevelEncoding.encode(word) : word, out);
        }
    }

    private void encodeWord(String word, IntArrayBuilder out) {
        if (word.isEmpty()) {
            return;
        }
        if (preTokenizer.ignoresMerges() || (preTokenizer.newlineRunsAreWholeTokens() && word.chars().allMatch(c -> c == '\n'))) {
            int id = vocab.id(word);
            if (id >= 0) {
                out.add(id);
                return;
            }
        }
        Symbols symbols = Symbols.ofCodePoints(word);
        int[] ids = new int[symbols.count()]; // the token id of each symbol's text, -1 if none
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.id(symbols.source, symbols.start[i], symbols.length[i]);
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, symbols.count()),
                (a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < symbols.count(); i++) {
            addBigram(symbols, ids, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            int left = bigram.left;
            int right = bigram.right;
            // both sides unchanged since the pair was queued: right still follows left, same total length
            if (symbols.length[left] == 0 || symbols.length[right] == 0 || symbols.next[left] != right
                    || symbols.length[left] + symbols.length[right] != bigram.length) {
                continue;
            }
            symbols.mergeWithNext(left);
            ids[left] = bigram.resultId;
            addBigram(symbols, ids, symbols.prev[left], left, queue);
            addBigram(symbols, ids, left, symbols.next[left], queue);
        }
        for (int i = 0; i >= 0; i = symbols.next[i]) {
            if (ids[i] >= 0) {
                out.add(ids[i]);
            } else {
                addFallback(symbols.text(i), out);
            }
        }
    }

    /** A merged symbol that is not a token (an incomplete vocabulary): its characters or bytes one by one. */
    private void addFallback(String piece, IntArrayBuilder out) {
        if (preTokenizer.byteLevel()) {
            piece.codePoints().forEach(cp -> {
                int id = vocab.id(Character.toString(cp));
                if (id >= 0) {
                    out.add(id);
                }
            });
        } else {
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int id = byteTokenId(b);
                if (id >= 0) {
                    out.add(id);
                }
            }
        }
    }

    private void addBigram(Symbols symbols, int[] ids, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        int length = symbols.length[left] + symbols.length[right];
        if (ids[left] >= 0 && ids[right] >= 0) {
            MergeRanks.Merge merge = merges.find(ids[left], ids[right]);
            if (merge != null) {
                queue.add(new Bigram(left, right, merge.rank(), length, merge.resultId()));
            }
            return;
        }
        int rank = merges.rankByText(symbols.text(left), symbols.text(right));
        if (rank >= 0) {
            queue.add(new Bigram(left, right, rank, length, vocab.id(symbols.source, symbols.start[left], length)));
        }
    }
}
