package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {
    private static WordPieceTokenizer miniLm;

    @BeforeAll
    static void loadMiniLm() throws IOException {
        try (InputStream in = WordPieceTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            miniLm = WordPieceTokenizer.fromTokenizerJson(in);
        }
    }

    /** The printable-ASCII shortcut of the normaliser gives what its general steps give, for every ASCII character. */
    @Test
    void asciiShortcutNormalisesAsTheGeneralSteps() {
        java.util.Random rnd = new java.util.Random(7);
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int i = 0; i < len; i++) {
                // mostly printable, with tabs, line breaks, other controls (dropped), NUL and now and then a non-ASCII letter
                int r = rnd.nextInt(100);
                sb.append(r < 85 ? (char) (0x20 + rnd.nextInt(0x5F)) : r < 95 ? "\t\n\r\u000b\u000c\u0000\u007f".charAt(rnd.nextInt(7))
                        : "ÄéİΣß中\u00a0".charAt(rnd.nextInt(7)));
            }
            String text = sb.toString();
            assertThat(miniLm.normalize(text)).as("%s", text).isEqualTo(miniLm.normalizeAnyText(text));
        }
        assertThat(miniLm.normalize("Hello\tWORLD\r\n 42!")).isEqualTo("hello world   42!");
    }

    /** llama.cpp's test vectors for the BGE vocabulary (ids recorded from Hugging Face's tokenizer). */
    @Test
    void bgeVocabularyTestVectors() throws IOException {
        Path vocab = SharedTestData.require("tokenizer/ggml-vocab-bert-bge.gguf");
        String inp = Files.readString(Path.of(vocab + ".inp"), StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(Path.of(vocab + ".out"), StandardCharsets.UTF_8);
        String[] texts = inp.split("\n__ggml_vocab_test__\n", -1);
        List<String> cases = new ArrayList<>(Arrays.asList(texts));
        if (cases.getLast().isEmpty()) {
            cases.removeLast();
        }
        assertThat(cases).hasSize(lines.size());
        try (GgufFile gguf = GgufFile.open(vocab)) {
            WordPieceTokenizer tok = WordPieceTokenizer.fromGguf(gguf.metadata());
            int checked = 0;
            for (int i = 0; i < cases.size(); i++) {
                int[] expected = lines.get(i).isBlank() ? new int[0]
                        : Arrays.stream(lines.get(i).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                assertThat(tok.encode(cases.get(i), false)).as("case %d: %s", i, cases.get(i)).containsExactly(expected);
                checked++;
            }
            assertThat(checked).isGreaterThan(40);
        }
    }

    private static List<String> pieces(String text) {
        return Arrays.stream(miniLm.encode(text, false)).mapToObj(miniLm::tokenText).toList();
    }

    /** Hand-checked against BERT's rules and the all-MiniLM-L6-v2 vocabulary. */
    @Test
    void handCheckedMiniLmCases() {
        assertThat(miniLm.encodeWithSpecials("Hello, world!", 256)).containsExactly(101, 7592, 1010, 2088, 999, 102);
        // greedy longest match first: "una" + "##ffa" + "##ble", not "un" + "##aff" + "##able"
        assertThat(pieces("unaffable")).containsExactly("una", "##ffa", "##ble");
        // accents stripped and lower-cased (uncased vocabulary), İ → i
        assertThat(pieces("Café ÉLAN İstanbul")).containsExactly("cafe", "el", "##an", "istanbul");
        // CJK ideographs become single-character words; kana are not split, but NFD + Mn removal
        // turns で into て (its dakuten is a combining mark); punctuation is split off
        assertThat(pieces("日本語です。")).containsExactly("日", "本", "語", "て", "##す", "。");
        assertThat(pieces("a-b_c")).containsExactly("a", "-", "b", "_", "c");
        // control and format characters vanish (joining the word), all whitespace separates
        assertThat(pieces("x\u0000\u200By\tz\u00A0w")).containsExactly("x", "##y", "z", "w");
        assertThat(pieces("abc\uE000def")).isEqualTo(pieces("abcdef")).containsExactly("abc", "##de", "##f");
        // a word of more than 100 characters is a single [UNK]
        assertThat(pieces("a".repeat(101) + " ok")).containsExactly("[UNK]", "ok");
        assertThat(pieces("a".repeat(100))).doesNotContain("[UNK]");
        // a word with an unmatchable character is [UNK] as a whole (☃ is a symbol, not punctuation)
        assertThat(pieces("x\u2603y")).containsExactly("[UNK]");
        assertThat(miniLm.encode("", false)).isEmpty();
        assertThat(miniLm.encode(" \n\t ", false)).isEmpty();
    }

    @Test
    void specialTokensAreParsedOnlyWhenAsked() {
        assertThat(miniLm.encode("[CLS] hi [SEP]", true)).containsExactly(101, 7632, 102);
        assertThat(pieces("[CLS]")).containsExactly("[", "cl", "##s", "]");
        assertThat(pieces("[CLS] hi [SEP]")).containsExactly("[", "cl", "##s", "]", "hi", "[", "sep", "]");
    }

    @Test
    void truncationKeepsClsAndSep() {
        int[] ids = miniLm.encodeWithSpecials("word ".repeat(300), 256);
        assertThat(ids).hasSize(256);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[255]).isEqualTo(102);
    }

    @Test
    void decodeJoinsContinuationPieces() {
        int[] ids = miniLm.encodeWithSpecials("The unaffable tokenizer, decoded.", 64);
        assertThat(miniLm.decode(ids)).isEqualTo("the unaffable tokenizer , decoded .");
    }

    @Test
    void ggufFormRoundTrips() {
        String[] gguf = miniLm.ggufTokens();
        assertThat(gguf[101]).isEqualTo("[CLS]");
        var meta = new java.util.LinkedHashMap<String, dev.llmplatform.engine.gguf.GgufValue>();
        meta.put("tokenizer.ggml.model", dev.llmplatform.engine.gguf.GgufValue.of("bert"));
        meta.put("tokenizer.ggml.tokens", dev.llmplatform.engine.gguf.GgufValue.of(gguf));
        meta.put("tokenizer.ggml.token_type", dev.llmplatform.engine.gguf.GgufValue.ofInt32(miniLm.ggufTokenTypes()));
        WordPieceTokenizer back = WordPieceTokenizer.fromGguf(new dev.llmplatform.engine.gguf.GgufMetadata(meta));
        assertThat(back.vocabularySize()).isEqualTo(miniLm.vocabularySize());
        for (int i = 0; i < miniLm.vocabularySize(); i++) {
            assertThat(back.tokenText(i)).isEqualTo(miniLm.tokenText(i));
        }
        assertThat(back.lowercase()).isTrue();
    }
}
