package dev.llmplatform.guardrails;

import dev.llmplatform.engine.encoder.EncoderWorkspace;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A text cut into windows the sentence encoder reads whole, embedded once and shared by every embedding-based
 * detector of one check. A text the encoder reads whole (MiniLM: 256 tokens, [CLS]/[SEP] included) is one window;
 * a longer one is cut into overlapping windows of {@value #WINDOW_WORDS} words (about 210 tokens of English),
 * every one full length.
 *
 * <p>Token states are views of an encoder workspace this object borrows on first use and gives back on
 * {@link #close()}: close it when the check is done (token states read after that are overwritten by the next
 * check's). One that is never closed only leaves its workspace to the garbage collector.
 */
public final class EmbeddedText implements AutoCloseable {
    static final int WINDOW_WORDS = 160;
    static final int STRIDE_WORDS = 140;

    private final String text;
    private final List<int[]> windows;
    private final TextEmbedder embedder;
    /** Per encoder depth ({@link TextEmbedder#ALL_LAYERS} or a layer count), one vector slot per window. */
    private final Map<Integer, float[][]> vectors = new HashMap<>();
    /** Per encoder depth, the windows' token states where a detector asked for them (see {@link #tokenStates}). */
    private final Map<Integer, SentenceEmbedder.TokenStates[]> tokenStates = new HashMap<>();
    /** Where the token states live; null until the first encoder pass for them. */
    private EncoderWorkspace workspace;

    public EmbeddedText(String text, TextEmbedder embedder) {
        this.text = text;
        this.embedder = embedder;
        this.windows = windows(text, embedder);
    }

    public String text() {
        return text;
    }

    /** Character spans [start, end) of the windows, in order. */
    public List<int[]> windows() {
        return windows;
    }

    /** The text of window {@code i}. */
    public String window(int i) {
        int[] w = windows.get(i);
        return text.substring(w[0], w[1]);
    }

    /** One vector per window, computed on first use. */
    public List<float[]> vectors() {
        int[] all = new int[windows.size()];
        Arrays.setAll(all, i -> i);
        return vectors(all);
    }

    /**
     * The vectors of the windows {@code which}, in that order; windows not embedded yet are embedded in one
     * batch (a detector that needs only some windows, such as the injection cascade, pays only for those).
     */
    public List<float[]> vectors(int[] which) {
        return vectors(which, TextEmbedder.ALL_LAYERS);
    }

    /** As {@link #vectors(int[])}, pooled after the encoder's first {@code layers} blocks (see {@link TextEmbedder#embed(List, int)}). */
    public List<float[]> vectors(int[] which, int layers) {
        float[][] vectors = this.vectors.computeIfAbsent(layers, l -> new float[windows.size()][]);
        List<Integer> missing = new ArrayList<>();
        for (int i : which) {
            if (vectors[i] == null && !missing.contains(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> embedded = embedder.embed(missing.stream().map(this::window).toList(), layers);
            for (int k = 0; k < missing.size(); k++) {
                vectors[missing.get(k)] = embedded.get(k);
            }
        }
        List<float[]> out = new ArrayList<>(which.length);
        for (int i : which) {
            out.add(vectors[i]);
        }
        return out;
    }

    /**
     * The token states of windows {@code which} after the encoder's first {@code layers} blocks, or null where the
     * embedder has none. The windows' vectors of that depth come from the same pass: a detector reading token
     * states and one reading vectors of the same depth (the PII tagger's head and the injection classifier) share it.
     */
    public List<SentenceEmbedder.TokenStates> tokenStates(int[] which, int layers) {
        SentenceEmbedder.TokenStates[] states = tokenStates.computeIfAbsent(layers, l -> new SentenceEmbedder.TokenStates[windows.size()]);
        List<Integer> missing = new ArrayList<>();
        for (int i : which) {
            if (states[i] == null && !missing.contains(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            if (workspace == null) {
                workspace = embedder.acquireWorkspace();
            }
            List<SentenceEmbedder.TokenStates> encoded = embedder.encodeTokens(missing.stream().map(this::window).toList(), layers, workspace);
            if (encoded == null) {
                return null;
            }
            float[][] pooled = vectors.computeIfAbsent(layers, l -> new float[windows.size()][]);
            for (int k = 0; k < missing.size(); k++) {
                int i = missing.get(k);
                states[i] = encoded.get(k);
                if (pooled[i] == null) {
                    pooled[i] = encoded.get(k).pooled();
                }
            }
        }
        List<SentenceEmbedder.TokenStates> out = new ArrayList<>(which.length);
        for (int i : which) {
            out.add(states[i]);
        }
        return out;
    }

    /** Gives the encoder workspace back: the token states handed out are not to be read any more (vectors stay valid). */
    @Override
    public void close() {
        if (workspace != null) {
            workspace.close();
            workspace = null;
            tokenStates.clear();
        }
    }

    static List<int[]> windows(String text, TextEmbedder embedder) {
        List<int[]> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > s) {
                words.add(new int[] {s, i});
            }
        }
        List<int[]> windows = new ArrayList<>();
        if (words.isEmpty()) {
            return windows;
        }
        // Counting tokens costs a tokenizer pass, so only texts longer than a window are asked.
        if (words.size() <= WINDOW_WORDS || embedder.readsWhole(text)) {
            windows.add(new int[] {words.getFirst()[0], words.getLast()[1]});
            return windows;
        }
        for (int w = 0; w < words.size(); w += STRIDE_WORDS) {
            // The last window ends at the text's end and is still full length (it overlaps its predecessor more):
            // a short tail scored alone is judged without context, and an instruction-like closing sentence
            // ("Continue this story ...") then looks like an attack.
            int first = Math.max(0, Math.min(w, words.size() - WINDOW_WORDS));
            int last = Math.min(words.size(), first + WINDOW_WORDS) - 1;
            windows.add(new int[] {words.get(first)[0], words.get(last)[1]});
            if (last == words.size() - 1) {
                break;
            }
        }
        return windows;
    }
}
