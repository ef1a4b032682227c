package dev.llmplatform.engine.tokenizer;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufMetadata;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model's vocabulary as stored in the {@code tokenizer.ggml.*} metadata of a GGUF file: token texts,
 * scores, types, BPE merges, special token ids and the add-BOS/EOS and space-prefix flags, with the
 * defaults llama.cpp applies when a key is absent (so that our ids agree with its tokenizer). Shared by
 * all tokenizer families, WordPiece included.
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
    private final TokenIndex index;
    private final SpecialTokens special;
    private final boolean addSpacePrefix;
    private final int separator;
    private final boolean addSeparator;

    private Vocabulary(String model, String pre, String[] tokens, float[] scores, TokenType[] types,
                       boolean[] rstrip, String[] merges, Map<String, Integer> ids, SpecialTokens special,
                       boolean addSpacePrefix, int separator, boolean addSeparator) {
        this.model = model;
        this.pre = pre;
        this.tokens = tokens;
        this.scores = scores;
        this.types = types;
        this.rstrip = rstrip;
        this.merges = merges;
        this.ids = ids;
        this.index = new TokenIndex(tokens);
        this.special = special;
        this.addSpacePrefix = addSpacePrefix;
        this.separator = separator;
        this.addSeparator = addSeparator;
    }

    /** Reads the vocabulary from GGUF metadata. */
    public static Vocabulary fromGguf(GgufMetadata md) {
        String model = md.requireString(KEY_MODEL);
        // Gemma 4 vocabularies name their pre-tokenizer through the model name
        String pre = model.equals("gemma4") ? "gemma4" : md.string(KEY_PRE).orElse("");
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
        boolean wordPiece = model.equals("bert");
        // defaults of the model families (llama.cpp's), overridden below by explicit keys; BERT's BOS is [CLS]
        int bos = inRange(spm ? 1 : bpe ? 11 : wordPiece ? 101 : -1, n);
        int eos = inRange(spm ? 2 : bpe ? 11 : -1, n);
        int unk = inRange(spm ? 0 : wordPiece ? 100 : -1, n);
        int pad = inRange(wordPiece ? 0 : -1, n);
        int sep = inRange(wordPiece ? 102 : -1, n);
        bos = specialId(md, "tokenizer.ggml.bos_token_id", bos, n);
        eos = specialId(md, "tokenizer.ggml.eos_token_id", eos, n);
        unk = specialId(md, "tokenizer.ggml.unknown_token_id", unk, n);
        pad = specialId(md, "tokenizer.ggml.padding_token_id", pad, n);
        sep = specialId(md, "tokenizer.ggml.seperator_token_id", sep, n); // sic: the GGUF key is misspelled
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

        boolean addBos = md.boolOr("tokenizer.ggml.add_bos_token",
                        spm || wordPiece || (bpe && PreTokenizer.addsBosByDefault(pre)))
                || pre.equals("gemma4"); // Gemma 4 needs BOS whatever its converter wrote (as llama.cpp overrides)
        boolean addEos = md.boolOr("tokenizer.ggml.add_eos_token", false);
        boolean addSep = md.boolOr("tokenizer.ggml.add_sep_token", wordPiece);
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
        return new Vocabulary(model, pre, tokens, scores, types, rstrip, merges, ids, special, addSpacePrefix,
                sep, addSep);
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

    private static int inRange(int id, int n) {
        return id < n ? id : -1;
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

    /** The id of the token whose text is {@code source[start, start + length)}, or -1; allocates nothing. */
    int id(String source, int start, int length) {
        return index.find(source, start, length);
    }

    /** BPE merges in rank order, each "left right"; empty for other families. */
    public List<String> merges() {
        return Collections.unmodifiableList(Arrays.asList(merges));
    }

    public SpecialTokens specialTokens() {
        return special;
    }

    /** SentencePiece: prepend a space (▁) to text at the start and after special tokens. */
    public boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    /** The separator token ([SEP] of BERT vocabularies), or -1. */
    public int separator() {
        return separator;
    }

    /** Whether a whole input ends with the separator token (BERT's add_sep, true by default there). */
    public boolean addSeparator() {
        return addSeparator;
    }

    /** True if whitespace right after this special token is dropped when it is matched in text. */
    boolean rstrip(int id) {
        return rstrip[id];
    }
}
