package dev.llmplatform.guardrails.pii;

import dev.llmplatform.engine.encoder.BertEncoder;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.engine.tokenizer.WordPieceTokenizer;
import dev.llmplatform.guardrails.EmbeddedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Contextual vectors for the tagger's tokens from the engine's sentence encoder (all-MiniLM-L6-v2): each tagger
 * token is cut into word pieces on its own, so a token's first piece is known without character offsets from
 * the tokenizer, and the token gets the hidden state of that piece after the encoder's first {@code layers}
 * blocks. A text longer than the encoder reads is cut into consecutive windows at token boundaries.
 */
final class EncoderTokenStates {
    private final SentenceEmbedder encoder;
    private final int layers;

    EncoderTokenStates(SentenceEmbedder encoder, int layers) {
        this.encoder = encoder;
        this.layers = layers;
    }

    int layers() {
        return layers;
    }

    int dimension() {
        return encoder.dimension();
    }

    /** One vector per token of each text (null for a token without word pieces), the texts encoded in batches. */
    List<float[][]> states(List<String> texts, List<List<int[]>> tokens) {
        List<Window> windows = new ArrayList<>();
        List<float[][]> out = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            float[][] perToken = new float[tokens.get(t).size()][];
            out.add(perToken);
            windows.addAll(windows(texts.get(t), tokens.get(t), perToken));
        }
        int start = 0;
        while (start < windows.size()) {
            int end = start;
            int pieces = 0;
            while (end < windows.size() && (end == start || pieces + windows.get(end).ids.length <= PIECES_PER_PASS)) {
                pieces += windows.get(end++).ids.length;
            }
            int[][] batch = new int[end - start][];
            for (int w = start; w < end; w++) {
                batch[w - start] = windows.get(w).ids;
            }
            BertEncoder.HiddenStates h = encoder.encoder().encode(batch, layers);
            int d = h.hiddenSize();
            for (int w = start; w < end; w++) {
                Window win = windows.get(w);
                int base = h.offsets()[w - start];
                for (int k = 0; k < win.tokenIndex.length; k++) {
                    float[] v = new float[d];
                    System.arraycopy(h.values(), (base + win.firstPiece[k]) * d, v, 0, d);
                    win.target[win.tokenIndex[k]] = v;
                }
            }
            start = end;
        }
        return out;
    }

    float[][] states(String text, List<int[]> tokens) {
        return states(List.of(text), List.of(tokens)).getFirst();
    }

    /**
     * The tokens' states read from the encoder pass over {@code text}'s windows, which the injection classifier
     * reads too when it runs at the same depth: each window's input ids are matched, in order, against the
     * pieces of the tokens inside it (the same pieces, since the tokenizer splits at spaces and punctuation as the
     * tagger does). A token the window does not hold (cut off at the encoder's length) has no state. Without token
     * states from the embedder, the text is encoded here.
     */
    TokenVectors states(EmbeddedText text, List<int[]> tokens) {
        int[] all = new int[text.windows().size()];
        Arrays.setAll(all, i -> i);
        List<SentenceEmbedder.TokenStates> windows = text.tokenStates(all, layers);
        if (windows == null) {
            return TokenVectors.of(states(text.text(), tokens), dimension());
        }
        WordPieceTokenizer tokenizer = encoder.tokenizer();
        // Views of the windows' states, where the encoder wrote them: nothing is copied.
        float[][] arrays = new float[tokens.size()][];
        int[] offsets = new int[tokens.size()];
        int first = 0;
        for (int w = 0; w < windows.size(); w++) {
            int[] span = text.windows().get(w);
            SentenceEmbedder.TokenStates window = windows.get(w);
            int[] ids = window.ids();
            while (first < tokens.size() && tokens.get(first)[0] < span[0]) {
                first++;
            }
            int cursor = 1;
            for (int i = first; i < tokens.size() && tokens.get(i)[1] <= span[1]; i++) {
                int[] pieces = tokenizer.encode(text.text().substring(tokens.get(i)[0], tokens.get(i)[1]), false);
                int at = pieces.length == 0 ? -1 : find(ids, pieces, cursor);
                if (at < 0) {
                    continue;
                }
                if (arrays[i] == null) {
                    arrays[i] = window.states();
                    offsets[i] = window.row(at);
                }
                cursor = at + pieces.length;
            }
        }
        return new TokenVectors(arrays, offsets, dimension());
    }

    /** Where {@code pieces} start in {@code ids} at or a little after {@code from} (before the final [SEP]); -1 if not there. */
    private static int find(int[] ids, int[] pieces, int from) {
        for (int at = from; at <= Math.min(from + RESYNC, ids.length - 1 - pieces.length); at++) {
            if (Arrays.equals(ids, at, at + pieces.length, pieces, 0, pieces.length)) {
                return at;
            }
        }
        return -1;
    }

    /** How far ahead a token's pieces are looked for (characters the tagger skips but the tokenizer keeps). */
    private static final int RESYNC = 8;

    /** Batches of about this many pieces per encoder call (the encoder's own batching of sentence embeddings). */
    private static final int PIECES_PER_PASS = 2048;

    /** One encoder input: [CLS] pieces [SEP], and for each token in it the position of its first piece. */
    private record Window(int[] ids, int[] tokenIndex, int[] firstPiece, float[][] target) {
    }

    private List<Window> windows(String text, List<int[]> tokens, float[][] target) {
        WordPieceTokenizer tokenizer = encoder.tokenizer();
        int room = encoder.maxTokens() - 2;
        List<Window> out = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<Integer> tokenIndex = new ArrayList<>();
        List<Integer> firstPiece = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int[] pieces = tokenizer.encode(text.substring(tokens.get(i)[0], tokens.get(i)[1]), false);
            int n = Math.min(pieces.length, room);
            if (n == 0) {
                continue;
            }
            if (ids.size() + n > room) {
                out.add(window(tokenizer, ids, tokenIndex, firstPiece, target));
                ids.clear();
                tokenIndex.clear();
                firstPiece.clear();
            }
            tokenIndex.add(i);
            firstPiece.add(ids.size() + 1);
            for (int p = 0; p < n; p++) {
                ids.add(pieces[p]);
            }
        }
        if (!ids.isEmpty()) {
            out.add(window(tokenizer, ids, tokenIndex, firstPiece, target));
        }
        return out;
    }

    private static Window window(WordPieceTokenizer tokenizer, List<Integer> pieces, List<Integer> tokenIndex, List<Integer> firstPiece,
                                 float[][] target) {
        int[] ids = new int[pieces.size() + 2];
        ids[0] = tokenizer.clsId();
        for (int p = 0; p < pieces.size(); p++) {
            ids[p + 1] = pieces.get(p);
        }
        ids[ids.length - 1] = tokenizer.sepId();
        return new Window(ids, tokenIndex.stream().mapToInt(Integer::intValue).toArray(),
                firstPiece.stream().mapToInt(Integer::intValue).toArray(), target);
    }
}
