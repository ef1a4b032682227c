package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.gguf.GgufValue;
import dev.llmplatform.engine.tokenizer.SpecialTokenPartitioner.Fragment;
import dev.llmplatform.engine.tokenizer.SpecialTokenPartitioner.Text;
import dev.llmplatform.engine.tokenizer.SpecialTokenPartitioner.Token;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecialTokenPartitionerTest {
    // ids: 0 "x" normal, 1 "ab" user-defined, 2 "bcd" user-defined, 3 "<c>" control, 4 "<cc>" control
    private static final SpecialTokenPartitioner PARTITIONER = new SpecialTokenPartitioner(vocabulary());

    private static Vocabulary vocabulary() {
        Map<String, GgufValue> md = new LinkedHashMap<>();
        md.put("tokenizer.ggml.model", GgufValue.of("gpt2"));
        md.put("tokenizer.ggml.pre", GgufValue.of("gpt-2"));
        md.put("tokenizer.ggml.tokens", GgufValue.of(new String[] {"x", "ab", "bcd", "<c>", "<cc>"}));
        md.put("tokenizer.ggml.token_type", GgufValue.ofInt32(new int[] {1, 4, 4, 3, 3}));
        return Vocabulary.fromGguf(new GgufMetadata(md));
    }

    @Test
    void userDefinedTokensAreAlwaysSplitOutControlTokensOnlyOnRequest() {
        assertThat(PARTITIONER.partition("x<c>ab", false)).containsExactly(new Text("x<c>"), new Token(1));
        assertThat(PARTITIONER.partition("x<c>ab", true)).containsExactly(new Text("x"), new Token(3), new Token(1));
    }

    @Test
    void longerTokensClaimTheirOccurrencesFirst() {
        // "bcd" (longer) is placed before "ab" is tried, as in llama.cpp, even though "ab" starts earlier
        assertThat(PARTITIONER.partition("abcd", false)).containsExactly(new Text("a"), new Token(2));
        assertThat(PARTITIONER.partition("<cc><c><c>", true)).containsExactly(new Token(4), new Token(3), new Token(3));
    }

    @Test
    void textWithoutSpecialsIsOneFragment() {
        assertThat(PARTITIONER.partition("xyz", true)).containsExactly(new Text("xyz"));
        assertThat(PARTITIONER.partition("", true)).isEmpty();
        assertThat(PARTITIONER.partition("ababab", false)).<Fragment>containsExactly(new Token(1), new Token(1), new Token(1));
    }
}
