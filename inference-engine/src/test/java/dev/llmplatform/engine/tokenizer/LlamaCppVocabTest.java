package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our ids against llama.cpp's recorded ids for its vocab test strings, and the decode round trip. */
class LlamaCppVocabTest {
    static Stream<Arguments> vectors() {
        return Stream.of("llama-spm", "phi-3", "gpt-2", "deepseek-llm", "falcon")
                .flatMap(name -> VocabTestVectors.cases(name).stream())
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void encodesLikeLlamaCpp(VocabTestVectors.Case c) {
        Tokenizer tokenizer = VocabTestVectors.tokenizer(c.vocab());
        assertThat(tokenizer.encode(c.text(), false)).as(c.toString()).containsExactly(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesReferenceIdsBackToTheText(VocabTestVectors.Case c) {
        Tokenizer tokenizer = VocabTestVectors.tokenizer(c.vocab());
        // every family here round-trips exactly: SentencePiece's added leading space is removed again,
        // and byte-level BPE decodes without clean-up of spaces
        assertThat(tokenizer.decode(c.expected())).isEqualTo(c.text());
        assertThat(tokenizer.decode(tokenizer.encode(c.text(), false))).isEqualTo(c.text());
    }

    static Stream<Arguments> bertVectors() {
        return VocabTestVectors.cases("bert-bge").stream().map(Arguments::of);
    }

    /** BERT vocabularies reach WordPiece through the same factory as every other family. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bertVectors")
    void bertVocabularyEncodesLikeLlamaCppThroughTheFactory(VocabTestVectors.Case c) {
        Tokenizer tokenizer = VocabTestVectors.tokenizer(c.vocab());
        assertThat(tokenizer).isInstanceOf(WordPieceTokenizer.class);
        assertThat(tokenizer.encode(c.text(), false)).as(c.toString()).containsExactly(c.expected());
    }
}
