package dev.llmplatform.engine.tokenizer;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * BERT's WordPiece tokenizer, with the semantics of Hugging Face's {@code BertNormalizer} +
 * {@code BertPreTokenizer} + {@code WordPiece} model:
 *
 * <ol>
 *   <li>clean-up: drop NUL, U+FFFD and control characters (Unicode category C*, except tab/newline/CR);
 *       every whitespace character becomes a space;</li>
 *   <li>CJK ideographs are surrounded by spaces, so each is its own word;</li>
 *   <li>for an uncased vocabulary: accents stripped (NFD, then drop non-spacing marks, category Mn),
 *       then lower-cased code point by code point;</li>
 *   <li>split on whitespace, and isolate every punctuation character (ASCII punctuation and Unicode P*);</li>
 *   <li>each word: greedy longest-match-first over the vocabulary, pieces after the first written with
 *       the {@code ##} prefix; a word of more than 100 characters, or one with an unmatchable part,
 *       becomes the single unknown token.</li>
 * </ol>
 *
 * {@link #encode} adds no {@code [CLS]}/{@code [SEP]}; {@link #encodeWithSpecials} does, for model input.
 */
public final class WordPieceTokenizer implements Tokenizer {
    /** Longer words are not split but become the unknown token (BERT's {@code max_input_chars_per_word}). */
    public static final int MAX_WORD_CHARS = 100;
    private static final String CONTINUATION = "##";
    /** llama.cpp's GGUF conversion writes word-initial pieces with this "phantom space" prefix and drops {@code ##}. */
    private static final String PHANTOM_SPACE = "\u2581";

    private final String[] vocab;
    private final Map<String, Integer> ids;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final int unk;
    private final int cls;
    private final int sep;
    private final int pad;
    private final int mask;
    /** Tokens written as text in the input that {@code encode(text, true)} recognises ([CLS], [SEP], ...). */
    private final List<String> specialTexts;

    /**
     * @param vocab        token texts by id, continuation pieces with the {@code ##} prefix (BERT's vocab.txt form)
     * @param lowercase    lower-case the input (an "uncased" vocabulary)
     * @param stripAccents strip accents (BERT strips them exactly when it lower-cases, unless told otherwise)
     */
    public WordPieceTokenizer(String[] vocab, boolean lowercase, boolean stripAccents) {
        this.vocab = vocab.clone();
        this.ids = new HashMap<>(vocab.length * 2);
        for (int i = 0; i < vocab.length; i++) {
            ids.putIfAbsent(vocab[i], i);
        }
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.unk = idOr("[UNK]", -1);
        this.cls = idOr("[CLS]", -1);
        this.sep = idOr("[SEP]", -1);
        this.pad = idOr("[PAD]", -1);
        this.mask = idOr("[MASK]", -1);
        if (unk < 0) {
            throw new IllegalArgumentException("a WordPiece vocabulary needs an [UNK] token");
        }
        List<String> specials = new ArrayList<>();
        for (String s : new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
            if (ids.containsKey(s)) {
                specials.add(s);
            }
        }
        this.specialTexts = List.copyOf(specials);
    }

    private int idOr(String token, int fallback) {
        return ids.getOrDefault(token, fallback);
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} whose model is WordPiece (BERT's normaliser settings
     * are taken from its {@code normalizer}; absent settings default to BERT's uncased behaviour).
     */
    public static WordPieceTokenizer fromTokenizerJson(InputStream json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asString(""))) {
            throw new IOException("tokenizer.json model type is '" + model.path("type").asString("") + "', expected WordPiece");
        }
        if (!CONTINUATION.equals(model.path("continuing_subword_prefix").asString(CONTINUATION))
                || model.path("max_input_chars_per_word").asInt(MAX_WORD_CHARS) != MAX_WORD_CHARS) {
            throw new IOException("tokenizer.json uses WordPiece settings other than BERT's (## prefix, 100 chars)");
        }
        JsonNode vocabNode = model.path("vocab");
        String[] vocab = new String[vocabNode.size()];
        for (var e : vocabNode.properties()) {
            int id = e.getValue().asInt();
            if (id < 0 || id >= vocab.length || vocab[id] != null) {
                throw new IOException("tokenizer.json vocabulary ids are not 0.." + (vocab.length - 1));
            }
            vocab[id] = e.getKey();
        }
        JsonNode norm = root.path("normalizer");
        boolean lower = norm.path("lowercase").asBoolean(true);
        JsonNode strip = norm.path("strip_accents");
        boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lower;
        return new WordPieceTokenizer(vocab, lower, stripAccents);
    }

    /**
     * Reads the vocabulary of a BERT-family GGUF file ({@code tokenizer.ggml.model = bert}). llama.cpp
     * stores word-initial pieces with a leading U+2581 and continuation pieces without {@code ##}; this
     * converts back to BERT's form. Whether the vocabulary is uncased is inferred: it is when no token
     * contains an upper-case letter outside the bracketed special tokens.
     */
    public static WordPieceTokenizer fromGguf(GgufMetadata metadata) {
        String model = metadata.requireString("tokenizer.ggml.model");
        if (!model.equals("bert")) {
            throw new GgufException("tokenizer.ggml.model is '" + model + "', a WordPiece vocabulary needs 'bert'");
        }
        String[] tokens = metadata.strings("tokenizer.ggml.tokens")
                .orElseThrow(() -> new GgufException("metadata key 'tokenizer.ggml.tokens' is missing"));
        int[] types = metadata.ints("tokenizer.ggml.token_type").orElse(null);
        String[] vocab = new String[tokens.length];
        boolean phantom = Arrays.stream(tokens).anyMatch(t -> t.startsWith(PHANTOM_SPACE));
        boolean cased = false;
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            boolean special = (types != null && types[i] == 3) || isBracketed(t);
            if (!phantom || special) {
                vocab[i] = t;
            } else if (t.startsWith(PHANTOM_SPACE)) {
                vocab[i] = t.substring(PHANTOM_SPACE.length());
            } else {
                vocab[i] = CONTINUATION + t;
            }
            if (!special && !t.equals(t.toLowerCase(java.util.Locale.ROOT))) {
                cased = true;
            }
        }
        return new WordPieceTokenizer(vocab, !cased, !cased);
    }

    private static boolean isBracketed(String t) {
        return t.length() > 2 && t.startsWith("[") && t.endsWith("]");
    }

    /**
     * The vocabulary in llama.cpp's GGUF form (word-initial pieces prefixed with U+2581, {@code ##}
     * removed, bracketed special tokens unchanged), for writing {@code tokenizer.ggml.tokens}.
     */
    public String[] ggufTokens() {
        String[] out = new String[vocab.length];
        for (int i = 0; i < vocab.length; i++) {
            String t = vocab[i];
            out[i] = isBracketed(t) ? t : t.startsWith(CONTINUATION) ? t.substring(CONTINUATION.length()) : PHANTOM_SPACE + t;
        }
        return out;
    }

    /** {@code tokenizer.ggml.token_type} values: 3 (control) for bracketed special tokens, else 1 (normal). */
    public int[] ggufTokenTypes() {
        int[] out = new int[vocab.length];
        for (int i = 0; i < vocab.length; i++) {
            out[i] = isBracketed(vocab[i]) ? 3 : 1;
        }
        return out;
    }

    public boolean lowercase() {
        return lowercase;
    }

    @Override
    public int[] encode(String text, boolean parseSpecial) {
        IntList out = new IntList();
        if (!parseSpecial) {
            encodePlain(text, out);
            return out.toArray();
        }
        int start = 0;
        while (start < text.length()) {
            int best = -1;
            String bestToken = null;
            for (String s : specialTexts) {
                int at = text.indexOf(s, start);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    bestToken = s;
                }
            }
            if (best < 0) {
                break;
            }
            encodePlain(text.substring(start, best), out);
            out.add(ids.get(bestToken));
            start = best + bestToken.length();
        }
        encodePlain(text.substring(start), out);
        return out.toArray();
    }

    /**
     * Model input: {@code [CLS] pieces [SEP]}, the pieces cut so that the whole fits {@code maxTokens}
     * (BERT truncates from the right).
     */
    public int[] encodeWithSpecials(String text, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must leave room for [CLS] and [SEP], got " + maxTokens);
        }
        int[] pieces = encode(text, false);
        int n = Math.min(pieces.length, maxTokens - 2);
        int[] out = new int[n + 2];
        out[0] = cls;
        System.arraycopy(pieces, 0, out, 1, n);
        out[n + 1] = sep;
        return out;
    }

    private void encodePlain(String text, IntList out) {
        for (String word : preTokenize(normalize(text))) {
            wordPiece(word, out);
        }
    }

    /** BertNormalizer: clean-up, CJK spacing, accent stripping and lower-casing, in that order. */
    String normalize(String text) {
        String ascii = normalizePrintableAscii(text);
        return ascii != null ? ascii : normalizeAnyText(text);
    }

    /**
     * {@link #normalizeAnyText} for the common case of printable ASCII with tabs and line breaks, in one pass and
     * one array (the guardrails tokenize every word of a prompt on its own, and the general path's three code-point
     * streams were most of that cost); null for any other character. For these characters the general steps reduce
     * to this: nothing is a control or CJK character, tab and line breaks are whitespace, NFD changes nothing and
     * there are no marks to strip, and lower-casing is ASCII's.
     */
    private String normalizePrintableAscii(String text) {
        char[] out = new char[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                out[i] = ' ';
            } else if (c < 0x20 || c > 0x7E) {
                return null;
            } else {
                out[i] = lowercase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            }
        }
        return new String(out);
    }

    /** The normaliser's steps for any text. */
    String normalizeAnyText(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
            }
            if (isWhitespace(c)) {
                sb.append(' ');
            } else if (isCjk(c)) {
                sb.append(' ').appendCodePoint(c).append(' ');
            } else {
                sb.appendCodePoint(c);
            }
        });
        String s = sb.toString();
        if (stripAccents) {
            String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(nfd.length());
            nfd.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK).forEach(kept::appendCodePoint);
            s = kept.toString();
        }
        if (lowercase) {
            StringBuilder lower = new StringBuilder(s.length());
            // Code point by code point, as Rust's char::to_lowercase: no context-dependent final sigma.
            s.codePoints().forEach(c -> {
                if (c == 0x130) {
                    lower.append("i\u0307"); // İ lower-cases to two code points
                } else {
                    lower.appendCodePoint(Character.toLowerCase(c));
                }
            });
            s = lower.toString();
        }
        return s;
    }

    /** BertPreTokenizer: split on whitespace, each punctuation character a word of its own. */
    static List<String> preTokenize(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                flush(word, words);
            } else if (isPunctuation(c)) {
                flush(word, words);
                words.add(new String(Character.toChars(c)));
            } else {
                word.appendCodePoint(c);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** Greedy longest-match-first; the whole word is [UNK] if it is too long or any part matches nothing. */
    private void wordPiece(String word, IntList out) {
        int chars = word.codePointCount(0, word.length());
        if (chars > MAX_WORD_CHARS) {
            out.add(unk);
            return;
        }
        int mark = out.size();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int found = -1;
            while (end > start) {
                String piece = start == 0 ? word.substring(start, end) : CONTINUATION + word.substring(start, end);
                Integer id = ids.get(piece);
                if (id != null) {
                    found = id;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found < 0) {
                out.truncate(mark);
                out.add(unk);
                return;
            }
            out.add(found);
            start = end;
        }
    }

    /** Control characters as BERT defines them: Unicode "other" categories, but not tab, newline, CR. */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
                || t == Character.SURROGATE || t == Character.UNASSIGNED;
    }

    /** Unicode White_Space (Rust's char::is_whitespace), which includes U+0085 and the no-break spaces. */
    static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85
                || Character.isSpaceChar(c) || Character.isWhitespace(c);
    }

    static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideograph blocks BERT splits character by character (not Hangul, kana). */
    static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    @Override
    public String decode(int[] tokenIds) {
        // WordPiece decoding: "##" pieces join the previous piece, others are separated by a space;
        // special tokens render as nothing (the Tokenizer contract).
        StringBuilder sb = new StringBuilder();
        for (int id : tokenIds) {
            String t = tokenText(id);
            if (isSpecial(id)) {
                continue;
            }
            if (t.startsWith(CONTINUATION)) {
                sb.append(t, CONTINUATION.length(), t.length());
            } else {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    private boolean isSpecial(int id) {
        return id == cls || id == sep || id == pad || id == mask || isBracketed(vocab[id]) && id != unk;
    }

    /**
     * A continuation piece contributes its text without {@code ##}; a word-initial piece contributes a
     * space and its text (the space that separates it from the previous word; a decoder drops it at the
     * start of the text); special tokens contribute nothing; [UNK] contributes its text.
     */
    @Override
    public byte[] tokenBytes(int id) {
        String t = tokenText(id);
        if (isSpecial(id)) {
            return new byte[0];
        }
        String s = t.startsWith(CONTINUATION) ? t.substring(CONTINUATION.length()) : " " + t;
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String tokenText(int id) {
        if (id < 0 || id >= vocab.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocab.length);
        }
        return vocab[id];
    }

    /** The id of {@code token} (in BERT's form, e.g. {@code ##ing}), or -1. */
    public int tokenId(String token) {
        return ids.getOrDefault(token, -1);
    }

    @Override
    public int vocabularySize() {
        return vocab.length;
    }

    @Override
    public SpecialTokens specialTokens() {
        // BERT's sequence frame: [CLS] plays BOS, [SEP] plays EOS.
        return new SpecialTokens(cls, sep, -1, unk, pad, true, true);
    }

    public int clsId() {
        return cls;
    }

    public int sepId() {
        return sep;
    }

    public int maskId() {
        return mask;
    }

    private static final class IntList {
        int[] a = new int[16];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        void truncate(int size) {
            n = size;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
