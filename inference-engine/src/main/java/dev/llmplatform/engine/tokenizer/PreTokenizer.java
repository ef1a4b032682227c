package dev.llmplatform.engine.tokenizer;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-tokenizer of a byte-level BPE family ({@code tokenizer.ggml.pre}): splits text into words
 * before merges run, so that no token crosses a word boundary.
 *
 * <p>Splitting follows llama.cpp's {@code unicode_regex_split}: the family's regexes are applied in
 * order, each one splitting every piece left by the previous one, and the text between matches is kept
 * as a piece of its own (nothing is dropped). Like llama.cpp, whitespace means the Unicode White_Space
 * set: before matching, non-ASCII whitespace is replaced by U+000B (one char for one char, so offsets
 * stay valid), which Java's ASCII {@code \s} then matches. Regex lookarounds do not see past the piece
 * being split (opaque region bounds), as with llama.cpp's per-piece matching.
 */
public final class PreTokenizer {
    private static final System.Logger LOG = System.getLogger(PreTokenizer.class.getName());

    /** GPT-2's pattern (case-sensitive contractions, optional leading space on runs of one class). */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final String CONTRACTIONS = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    /** Llama 3's pattern: any-case contractions, a non-letter may lead a word, digits in groups of up to 3. */
    static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen 2's pattern: Llama 3's with single digits. */
    static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Mistral's Tekken pattern as llama.cpp adapts it: a letter that is not a-z counts as upper case, one not A-Z as lower. */
    static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?(?:(?=\\p{L})[^a-z])*(?:(?=\\p{L})[^A-Z])+"
            + "|[^\\r\\n\\p{L}\\p{N}]?(?:(?=\\p{L})[^a-z])+(?:(?=\\p{L})[^A-Z])*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** GPT-4o's pattern as llama.cpp adapts it (Tekken-style case runs with optional contractions, digit triples). */
    static final String GPT4O = "[^\\r\\n\\p{L}\\p{N}]?(?:(?=\\p{L})[^a-z])*(?:(?=\\p{L})[^A-Z])+" + CONTRACTIONS + "?"
            + "|[^\\r\\n\\p{L}\\p{N}]?(?:(?=\\p{L})[^a-z])+(?:(?=\\p{L})[^A-Z])*" + CONTRACTIONS + "?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * DeepSeek V3's main pattern. llama.cpp matches \p{P} and \p{S} of ASCII text against fixed lists in
     * which '~' is neither punctuation nor symbol; the classes below reproduce that.
     */
    static final String DEEPSEEK3 = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+"
            + "|(?:[^\\r\\n\\p{L}\\p{P}\\p{S}]|~)?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}&&[^~]]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** CJK ideographs, everything from U+0800 up to them, and Hangul (DeepSeek's "CJK" class, as its tokenizer.json has it). */
    private static final String DEEPSEEK_CJK = "[\\u4E00-\\u9FA5\\u0800-\\u4E00\\uAC00-\\uD7FF]+";

    /**
     * DeepSeek LLM's cased-letter class (Unicode's Lu/Ll/Lt of its time), written out as ranges because
     * that is how the tokenizer defines it; newer cased letters are deliberately not included.
     */
    private static final String DEEPSEEK_CASED_LETTERS = "A-Za-z\\u00B5\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u01BA"
            + "\\u01BC-\\u01BF\\u01C4-\\u0293\\u0295-\\u02AF\\u0370-\\u0373\\u0376\\u0377\\u037B-\\u037D\\u037F\\u0386"
            + "\\u0388-\\u038A\\u038C\\u038E-\\u03A1\\u03A3-\\u03F5\\u03F7-\\u0481\\u048A-\\u052F\\u0531-\\u0556"
            + "\\u10A0-\\u10C5\\u13A0-\\u13F5\\u13F8-\\u13FD\\u1C90-\\u1CBA\\u1CBD-\\u1CBF\\u1D00-\\u1D2B\\u1D6B-\\u1D77"
            + "\\u1D79-\\u1D9A\\u1E00-\\u1F15\\u1F18-\\u1F1D\\u1F20-\\u1F45\\u1F48-\\u1F4D\\u1F50-\\u1F57\\u1F59\\u1F5B"
            + "\\u1F5D\\u1F5F-\\u1F7D\\u1F80-\\u1FB4\\u1FB6-\\u1FBC\\u1FBE\\u1FC2-\\u1FC4\\u1FC6-\\u1FCC\\u1FD0-\\u1FD3"
            + "\\u1FD6-\\u1FDB\\u1FE0-\\u1FEC\\u1FF2-\\u1FF4\\u1FF6-\\u1FFC\\u2102\\u2107\\u210A-\\u2113\\u2115"
            + "\\u2119-\\u211D\\u2124\\u2126\\u2128\\u212A-\\u212D\\u212F-\\u2134\\u2139\\u213C-\\u213F\\u2145-\\u2149"
            + "\\u214E\\u2183\\u2184\\u2C00-\\u2C7B\\u2C7E-\\u2CE4\\u2CEB-\\u2CEE\\u2CF2\\u2CF3\\uA640-\\uA66D"
            + "\\uA680-\\uA69B\\uA722-\\uA76F\\uA771-\\uA787\\uA78B-\\uA78E\\uAB70-\\uABBF\\uFB00-\\uFB06\\uFB13-\\uFB17"
            + "\\uFF21-\\uFF3A\\uFF41-\\uFF5A\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}"
            + "\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}";

    /** Bloom/Poro: words are runs of anything but whitespace and a few sentence marks. */
    private static final String BLOOM = " ?[^(\\s|.,!?\\u2026\\u3002\\uFF0C\\u3001\\u0964\\u06D4\\u060C)]+";

    private static final PreTokenizer DEFAULT = new PreTokenizer("default", false, false, true, false,
            "[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]");

    private static final Map<String, PreTokenizer> FAMILIES = families();

    private final String family;
    private final List<Pattern> patterns;
    private final boolean ignoreMerges;
    private final boolean addsBos;
    private final boolean byteLevel;
    private final boolean escapesWhitespace;

    private PreTokenizer(String family, boolean ignoreMerges, boolean addsBos, boolean byteLevel,
                         boolean escapesWhitespace, String... regexes) {
        this.family = family;
        this.patterns = Arrays.stream(regexes).map(Pattern::compile).toList();
        this.ignoreMerges = ignoreMerges;
        this.addsBos = addsBos;
        this.byteLevel = byteLevel;
        this.escapesWhitespace = escapesWhitespace;
    }

    private static PreTokenizer plain(String family, String... regexes) {
        return new PreTokenizer(family, false, false, true, false, regexes);
    }

    private static Map<String, PreTokenizer> families() {
        PreTokenizer gpt2 = plain("gpt-2", GPT2);
        PreTokenizer llama3 = new PreTokenizer("llama3", true, true, true, false, LLAMA3);
        PreTokenizer llama3Regex = plain("dbrx", LLAMA3); // same split, but merges are not bypassed
        PreTokenizer qwen2 = plain("qwen2", QWEN2);
        PreTokenizer starcoder = plain("starcoder", "\\p{N}", GPT2);
        PreTokenizer deepseekLlm = plain("deepseek-llm",
                "[\\r\\n]",
                "\\s?[" + DEEPSEEK_CASED_LETTERS + "]+",
                "\\s?[!-/:-~\\uFF01-\\uFF0F\\uFF1A-\\uFF5E\\u2018-\\u201F\\u3000-\\u3002]+",
                "\\s+\\z", // "\s+$": $ is the end of the piece, never before a final line break
                DEEPSEEK_CJK,
                "\\p{N}+");
        PreTokenizer deepseekCoder = plain("deepseek-coder",
                "[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", DEEPSEEK_CJK, "\\p{N}");
        PreTokenizer deepseek3 = plain("deepseek-v3",
                "\\p{N}{1,3}", "[\\u4E00-\\u9FA5\\u3040-\\u309F\\u30A0-\\u30FF]+", DEEPSEEK3);
        PreTokenizer falcon = plain("falcon", "[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]");
        PreTokenizer bloom = plain("bloom", BLOOM);
        PreTokenizer tekken = new PreTokenizer("tekken", true, true, true, false, TEKKEN);
        // Gemma 4: SentencePiece-style BPE on raw UTF-8 with spaces as ▁, split only at line breaks
        PreTokenizer gemma4 = new PreTokenizer("gemma4", false, true, false, true, "[^\\n]+|[\\n]+");

        Map<String, PreTokenizer> m = new java.util.HashMap<>();
        m.put("default", DEFAULT);
        for (String name : List.of("gpt-2", "phi-2", "gpt-neox", "mpt", "olmo", "jais", "trillion", "granite-docling",
                "jina-es", "jina-de", "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code", "roberta-bpe",
                "gigachat", "a.x-4.0", "mellum", "modern-bert", "exaone4")) {
            m.put(name, gpt2);
        }
        for (String name : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
                "lfm2")) {
            m.put(name, llama3);
        }
        for (String name : List.of("dbrx", "smaug-bpe", "chatglm-bpe", "glm4")) {
            m.put(name, llama3Regex);
        }
        for (String name : List.of("qwen2", "deepseek-r1-qwen", "megrez", "stablelm2")) {
            m.put(name, qwen2);
        }
        for (String name : List.of("starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b")) {
            m.put(name, starcoder);
        }
        for (String name : List.of("poro-chat", "bloom", "gpt3-finnish")) {
            m.put(name, bloom);
        }
        m.put("viking", plain("viking", BLOOM, "\\p{N}"));
        m.put("deepseek-llm", deepseekLlm);
        m.put("deepseek-coder", deepseekCoder);
        m.put("deepseek-v3", deepseek3);
        for (String name : List.of("gpt-4o", "llama4", "minimax-m2")) {
            m.put(name, plain("gpt-4o", GPT4O));
        }
        m.put("falcon", falcon);
        m.put("tekken", tekken);
        m.put("gemma4", gemma4);
        return Map.copyOf(m);
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value. A missing or unknown name falls back
     * to llama.cpp's default split, with a warning: tokenization then differs from the model's own.
     */
    public static PreTokenizer forName(String pre) {
        PreTokenizer known = FAMILIES.get(pre == null ? "" : pre);
        if (known != null) {
            return known;
        }
        LOG.log(Level.WARNING, pre == null || pre.isEmpty()
                ? "vocabulary has no tokenizer.ggml.pre; using the default pre-tokenizer"
                : "unknown pre-tokenizer '" + pre + "'; using the default one (tokens may differ from the model's)");
        return DEFAULT;
    }

    /** True if {@code pre} names a family whose models add BOS unless the metadata says otherwise. */
    static boolean addsBosByDefault(String pre) {
        PreTokenizer known = FAMILIES.get(pre);
        return known != null && known.addsBos;
    }

    /** The family this pre-tokenizer implements (e.g. "llama3" for "llama-bpe"). */
    public String family() {
        return family;
    }

    /** Whole words found in the vocabulary become one token without running merges (Llama 3, Tekken). */
    boolean ignoresMerges() {
        return ignoreMerges;
    }

    /** Tokens are GPT-2 byte-level strings (false for Gemma 4's raw-UTF-8 BPE). */
    boolean byteLevel() {
        return byteLevel;
    }

    /** A word made only of line breaks is one token when the vocabulary has it (Gemma 4's merges lack them). */
    boolean newlineRunsAreWholeTokens() {
        return family.equals("gemma4");
    }

    /** Spaces are written as ▁ before splitting (Gemma 4). */
    boolean escapesWhitespace() {
        return escapesWhitespace;
    }

    /** Splits {@code text} into words; concatenated, they give back {@code text}. */
    public List<String> split(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String scan = withAsciiWhitespace(text);
        // piece boundaries: piece i is [bounds[i], bounds[i+1])
        int[] bounds = {0, text.length()};
        for (Pattern pattern : patterns) {
            bounds = splitPieces(pattern.matcher(scan), bounds);
        }
        List<String> words = new ArrayList<>(bounds.length - 1);
        for (int i = 0; i + 1 < bounds.length; i++) {
            words.add(text.substring(bounds[i], bounds[i + 1]));
        }
        return words;
    }

    private static int[] splitPieces(Matcher m, int[] bounds) {
        IntArrayBuilder out = new IntArrayBuilder(bounds.length * 2);
        out.add(0);
        for (int i = 0; i + 1 < bounds.length; i++) {
            int start = bounds[i];
            int end = bounds[i + 1];
            m.region(start, end);
            int pos = start;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue; // an empty match splits nothing
                }
                if (m.start() > pos) {
                    out.add(m.start());
                }
                out.add(m.end());
                pos = m.end();
            }
            if (pos < end) {
                out.add(end);
            }
        }
        return out.toArray();
    }

    /** Replaces non-ASCII Unicode whitespace (all in the BMP) by U+000B, leaving offsets unchanged. */
    static String withAsciiWhitespace(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7F && isUnicodeWhitespace(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\u000B';
            }
        }
        return chars == null ? text : new String(chars);
    }

    /** The non-ASCII members of Unicode's White_Space property. */
    private static boolean isUnicodeWhitespace(char c) {
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    @Override
    public String toString() {
        return "PreTokenizer[" + family + "]";
    }
}
