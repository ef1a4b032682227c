package dev.llmplatform.engine.tokenizer;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufMetadata;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model's vocabulary as stored in the {@code tokenizer.ggml.*} metadata of a GGUF file: token texts,
 * scores, types, BPE merges, special token ids and the add-BOS/EOS and space-prefix flags, with the
 * defaults llama.cpp applies when a key is absent (so that our ids agree with its tokenizer).
 */
public final class Vocabulary {
    static final String KEY_MODEL = "tokenizer.ggml.model";
    static final String KEY_PRE = "tokenizer.ggml.pre";

    /**
     * Texts of tokens that end a turn; when the file has no {@code eot_token_id}, the first of these
     * present (in this order) becomes the end-of-turn token. Listed roughly as llama.cpp auto-detects them.
     */
    private static final List<String> END_OF_TURN_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
            "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<end_of_utterance>");

    /**
     * Texts that end generation in some family. Some converters store them as normal tokens; like
     * llama.cpp we treat them as control tokens, so they render as nothing and are not matched in plain text.
     */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "<|end_of_text|>", "<end_of_utterance>");

    private final String model;
    private final String pre;
    private final String[] tokens;
    private final float[] scores;
    private final TokenType[] types;
    private final boolean[] rstrip;
    private final String[] merges;
    private final Map<String, Integer> ids;
    private final SpecialTokens special;
    private final boolean addSpacePrefix;
    private final int maxTokenLength;

    private Vocabulary(String model, String pre, String[] tokens, float[] scores, TokenType[] types,
                       boolean[] rstrip, String[] merges, Map<String, Integer> ids, SpecialTokens special,
                       boolean addSpacePrefix) {
        this.model = model;
        this.pre = pre;
        this.tokens = tokens;
        this.scores = scores;
        this.types = types;
        this.rstrip = rstrip;
        this.merges = merges;
        this.ids = ids;
        this.special = special;
        this.addSpacePrefix = addSpacePrefix;
        int max = 0;
        for (String t : tokens) {
            max = Math.max(max, t.length());
        }
        this.maxTokenLength = max;
    }

    /** Reads the vocabulary from GGUF metadata. */
    public static Vocabulary fromGguf(GgufMetadata md) {
        String model = md.requireString(KEY_MODEL);
        String pre = md.string(KEY_PRE).orElse("");
        String[] texts = md.strings("tokenizer.ggml.tokens")
                .orElseThrow(() -> new GgufException("metadata key 'tokenizer.ggml.tokens' is missing"));
        int n = texts.length;
        String[] tokens = new String[n];
        Map<String, Integer> ids = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            // llama.cpp renames empty entries so that every token has a distinct, non-empty text
            tokens[i] = texts[i].isEmpty() ? "[EMPTY_" + i + "]" : texts[i];
            if (ids.putIfAbsent(tokens[i], i) != null) {
                throw new GgufException("duplicate token in vocabulary: '" + tokens[i] + "' has ids "
                        + ids.get(tokens[i]) + " and " + i);
            }
        }
        float[] scores = readScores(md, n);
        TokenType[] types = new TokenType[n];
        int[] codes = md.ints("tokenizer.ggml.token_type").orElse(null);
        if (codes != null && codes.length < n) {
            throw new GgufException("tokenizer.ggml.token_type has " + codes.length + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            types[i] = codes == null ? TokenType.NORMAL : TokenType.fromCode(codes[i]);
        }
        String[] merges = md.strings("tokenizer.ggml.merges").orElse(new String[0]);

        boolean spm = model.equals("llama");
        boolean bpe = model.equals("gpt2") || model.equals("gemma4");
        // defaults of the model families, overridden below by explicit keys
        int bos = spm ? 1 : bpe ? 11 : -1;
        int eos = spm ? 2 : bpe ? 11 : -1;
        int unk = spm ? 0 : -1;
        bos = bos < n ? bos : -1;
        eos = eos < n ? eos : -1;
        unk = unk < n ? unk : -1;
        bos = specialId(md, "tokenizer.ggml.bos_token_id", bos, n);
        eos = specialId(md, "tokenizer.ggml.eos_token_id", eos, n);
        unk = specialId(md, "tokenizer.ggml.unknown_token_id", unk, n);
        int pad = specialId(md, "tokenizer.ggml.padding_token_id", -1, n);
        int eot = specialId(md, "tokenizer.ggml.eot_token_id", -1, n);
        if (eot < 0) {
            for (String text : END_OF_TURN_TEXTS) {
                Integer id = ids.get(text);
                if (id != null) {
                    eot = id;
                    break;
                }
            }
        }
        for (String text : END_OF_GENERATION_TEXTS) {
            Integer id = ids.get(text);
            if (id != null) {
                types[id] = TokenType.CONTROL;
            }
        }
        if (eot >= 0) {
            types[eot] = TokenType.CONTROL;
        }

        boolean addBos = md.boolOr("tokenizer.ggml.add_bos_token", spm || (bpe && PreTokenizer.addsBosByDefault(pre)));
        boolean addEos = md.boolOr("tokenizer.ggml.add_eos_token", false);
        boolean addSpacePrefix = md.boolOr("tokenizer.ggml.add_space_prefix", spm);

        boolean[] rstrip = new boolean[n];
        String name = md.string("general.name").orElse("").toLowerCase(Locale.ROOT);
        if (name.contains("phi-3") || name.contains("phi3")) {
            // Phi-3's added tokens swallow the whitespace after them (HF's rstrip=True for these tokens),
            // which llama.cpp reproduces by model name; <s>, <unk> and <|endoftext|> keep it.
            for (int i = 0; i < n; i++) {
                rstrip[i] = types[i].isSpecial() || tokens[i].equals("</s>");
            }
            for (String keep : List.of("<unk>", "<s>", "<|endoftext|>")) {
                Integer id = ids.get(keep);
                if (id != null) {
                    rstrip[id] = false;
                }
            }
        }
        SpecialTokens special = new SpecialTokens(bos, eos, eot, unk, pad, addBos, addEos);
        return new Vocabulary(model, pre, tokens, scores, types, rstrip, merges, ids, special, addSpacePrefix);
    }

    private static float[] readScores(GgufMetadata md, int n) {
        float[] scores = new float[n];
        if (md.has("tokenizer.ggml.scores")) {
            float[] stored = md.floats("tokenizer.ggml.scores").orElse(null);
            if (stored == null) {
                int[] ints = md.ints("tokenizer.ggml.scores").orElseThrow();
                stored = new float[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    stored[i] = ints[i];
                }
            }
            if (stored.length < n) {
                throw new GgufException("tokenizer.ggml.scores has " + stored.length + " entries for " + n + " tokens");
            }
            System.arraycopy(stored, 0, scores, 0, n);
        }
        return scores;
    }

    private static int specialId(GgufMetadata md, String key, int fallback, int n) {
        return md.integer(key).filter(v -> v >= 0 && v < n).map(Math::toIntExact).orElse(fallback);
    }

    /** {@code tokenizer.ggml.model}: {@code llama} (SentencePiece), {@code gpt2} (byte-level BPE), {@code bert}... */
    public String model() {
        return model;
    }

    /** {@code tokenizer.ggml.pre}: the pre-tokenizer family of a BPE vocabulary; empty when absent. */
    public String pre() {
        return pre;
    }

    public int size() {
        return tokens.length;
    }

    public String text(int id) {
        return tokens[id];
    }

    public float score(int id) {
        return scores[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    /** The id of the token with exactly this text, or -1. */
    public int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    /** BPE merges in rank order, each "left right"; empty for other families. */
    public List<String> merges() {
        return Arrays.asList(merges);
    }

    public SpecialTokens specialTokens() {
        return special;
    }

    /** SentencePiece: prepend a space (▁) to text at the start and after special tokens. */
    public boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    /** True if whitespace right after this special token is dropped when it is matched in text. */
    boolean rstrip(int id) {
        return rstrip[id];
    }

    int maxTokenLength() {
        return maxTokenLength;
    }
}
