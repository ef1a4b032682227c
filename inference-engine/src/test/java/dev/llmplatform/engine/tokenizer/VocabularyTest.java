package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import org.junit.jupiter.api.Test;

/** Metadata and family defaults as read from the shared llama.cpp vocabularies. */
class VocabularyTest {
    private static Vocabulary read(String name) {
        try (GgufFile file = GgufFile.open(VocabTestVectors.vocabFile(name))) {
            return Vocabulary.fromGguf(file.metadata());
        }
    }

    @Test
    void sentencePieceVocabulary() {
        Vocabulary v = read("llama-spm");
        assertThat(v.model()).isEqualTo("llama");
        assertThat(v.size()).isEqualTo(32000);
        assertThat(v.text(1)).isEqualTo("<s>");
        assertThat(v.type(1)).isEqualTo(TokenType.CONTROL);
        assertThat(v.type(0)).isEqualTo(TokenType.UNKNOWN);
        assertThat(v.type(3)).isEqualTo(TokenType.BYTE);
        assertThat(v.id("▁Hello")).isEqualTo(15043);
        assertThat(v.id("no such token")).isEqualTo(-1);
        assertThat(v.addSpacePrefix()).isTrue();
        assertThat(v.merges()).isEmpty();
        assertThat(v.specialTokens()).isEqualTo(new SpecialTokens(1, 2, -1, 0, -1, true, false));
    }

    @Test
    void byteLevelVocabulary() {
        Vocabulary v = read("falcon");
        assertThat(v.model()).isEqualTo("gpt2");
        assertThat(v.pre()).isEqualTo("falcon");
        assertThat(v.merges()).hasSize(64784).first().isEqualTo("Ġ t");
        assertThat(v.addSpacePrefix()).isFalse();
        SpecialTokens s = v.specialTokens();
        assertThat(s.bos()).isEqualTo(11);
        assertThat(s.eos()).isEqualTo(11);
        assertThat(s.eot()).isEqualTo(11); // <|endoftext|>
        assertThat(s.addBos()).isFalse();
    }

    @Test
    void wordPieceDefaultsForTheBertTokenizer() {
        Vocabulary v = read("bert-bge");
        assertThat(v.model()).isEqualTo("bert");
        assertThat(v.text(v.specialTokens().bos())).isEqualTo("[CLS]");
        assertThat(v.text(v.separator())).isEqualTo("[SEP]");
        assertThat(v.text(v.specialTokens().unknown())).isEqualTo("[UNK]");
        assertThat(v.specialTokens().padding()).isZero();
        assertThat(v.specialTokens().addBos()).isTrue();
        assertThat(v.addSeparator()).isTrue();
    }
}
