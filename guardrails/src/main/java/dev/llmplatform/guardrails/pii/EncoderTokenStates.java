package dev.llmplatform.guardrails.pii;

import dev.llmplatform.engine.encoder.BertEncoder;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.engine.tokenizer.WordPieceTokenizer;
import java.util.ArrayList;
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
