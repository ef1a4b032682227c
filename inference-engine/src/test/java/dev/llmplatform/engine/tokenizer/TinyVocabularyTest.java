package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge algorithms on vocabularies small enough to work out by hand; needs no shared data. */
class TinyVocabularyTest {
    private static final String[] SPM_TOKENS = {"<unk>", "<s>", "</s>", "<0xC3>", "<0xA9>", "▁", "a", "b", "c", "ab", "bc", "▁a"};
    private static final int[] SPM_TYPES = {2, 3, 3, 6, 6, 1, 1, 1, 1, 1, 1, 1};

    private static Tokenizer spm(float abScore, float bcScore) {
        return spm(abScore, bcScore, null);
    }

    private static Tokenizer spm(float abScore, float bcScore, Boolean addSpacePrefix) {
        float[] scores = {0, 0, 0, 0, 0, -1, -2, -2, -2, abScore, bcScore, -3};
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.of("llama"));
        md.put("tokenizer.ggml.tokens", GgufValue.of(SPM_TOKENS));
        md.put("tokenizer.ggml.scores", GgufValue.of(scores));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInt32(SPM_TYPES));
        if (addSpacePrefix != null) {
            md.put("tokenizer.ggml.add_space_prefix", GgufValue.of(addSpacePrefix.booleanValue()));
        }
        return Tokenizers.fromGguf(new GgufMetadata(md));
    }

    private static Tokenizer bpe(String... merges) {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.of("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.of("gpt-2"));
        md.put("tokenizer.ggml.tokens", GgufValue.of(new String[] {"a", "b", "c", "ab", "bc", "abc", "Ġ", "Ġa", "<|end|>"}));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInt32(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 3}));
        md.put("tokenizer.ggml.merges", GgufValue.of(merges));
        return Tokenizers.fromGguf(new GgufMetadata(md));
    }

    @Test
    void sentencePieceMergesTheHighestScoringPairFirst() {
        // "abc" becomes ▁ a b c; with bc scoring highest: ▁ a bc, then ▁a bc (abc, ▁abc are not tokens)
        assertThat(spm(-5, -1).encode("abc", false)).containsExactly(11, 10);
        // with ab scoring highest: ▁ ab c, and ▁ab is not a token
        assertThat(spm(-0.5f, -1).encode("abc", false)).containsExactly(5, 9, 8);
    }

    @Test
    void sentencePieceUsesByteTokensForCharactersOutsideTheVocabulary() {
        // é = C3 A9; the ▁ before it stays alone
        assertThat(spm(-5, -1).encode("é", false)).containsExactly(5, 3, 4);
        assertThat(spm(-5, -1).decode(new int[] {5, 3, 4})).isEqualTo("é");
    }

    @Test
    void gemmaStyleSentencePieceAddsNoSpacePrefix() {
        Tokenizer gemmaStyle = spm(-5, -1, false);
        assertThat(gemmaStyle.encode("abc", false)).containsExactly(6, 10);   // a bc
        assertThat(gemmaStyle.encode(" abc", false)).containsExactly(11, 10); // ▁a bc
        assertThat(gemmaStyle.decode(new int[] {11, 10})).isEqualTo(" abc");  // nothing to strip
    }

    @Test
    void sentencePieceDefaultsFollowLlamaCpp() {
        SpecialTokens special = spm(-5, -1).specialTokens();
        assertThat(special.bos()).isEqualTo(1);
        assertThat(special.eos()).isEqualTo(2);
        assertThat(special.unknown()).isZero();
        assertThat(special.addBos()).isTrue();
        assertThat(special.addEos()).isFalse();
        assertThat(special.eot()).isEqualTo(-1);
    }

    @Test
    void bpeMergesByRank() {
        assertThat(bpe("b c", "a b").encode("abc", false)).containsExactly(0, 4);
        assertThat(bpe("a b", "b c").encode("abc", false)).containsExactly(3, 2);
        assertThat(bpe("a b", "b c", "ab c").encode("abc", false)).containsExactly(5);
        // words do not merge across the pre-tokenizer's boundaries: "ab" | " a"
        assertThat(bpe("a b", "Ġ a").encode("ab a", false)).containsExactly(3, 7);
    }

    @Test
    void bpeSpecialTokensAndDefaults() {
        Tokenizer t = bpe("a b");
        assertThat(t.encode("ab<|end|>a", true)).containsExactly(3, 8, 0);
        assertThat(t.specialTokens().eot()).isEqualTo(8);
        assertThat(t.specialTokens().addBos()).isFalse();
        assertThat(t.decode(new int[] {3, 8, 7})).isEqualTo("ab a");
    }

    @Test
    void gemma4StyleBpeWorksOnRawUtf8WithSpaceMarks() {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.of("gemma4"));
        md.put("tokenizer.ggml.tokens", GgufValue.of(new String[] {"<bos>", "<0x0A>", "<0x78>", "▁", "a", "b", "▁a", "ab", "\n", "\n\n"}));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInt32(new int[] {3, 6, 6, 1, 1, 1, 1, 1, 1, 1}));
        md.put("tokenizer.ggml.merges", GgufValue.of(new String[] {"▁ a", "a b"}));
        md.put("tokenizer.ggml.bos_token_id", GgufValue.ofUint32(0));
        Tokenizer t = Tokenizers.fromGguf(new GgufMetadata(md));
        // "ab a\n\nx" → "ab▁a" | "\n\n" | "x": ▁a merges first (rank 0), then ab; the newline run is one
        // token; "x" is not in the vocabulary and falls back to its byte token
        int[] ids = t.encode("ab a\n\nx", false);
        assertThat(ids).containsExactly(7, 6, 9, 2);
        assertThat(t.decode(ids)).isEqualTo("ab a\n\nx");
        assertThat(t.specialTokens().addBos()).isTrue();
    }

    @Test
    void unsupportedModelsAreNamed() {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.of("t5"));
        md.put("tokenizer.ggml.tokens", GgufValue.of(new String[] {"<pad>"}));
        assertThatThrownBy(() -> Tokenizers.fromGguf(new GgufMetadata(md)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported tokenizer model 't5'");
    }
}
