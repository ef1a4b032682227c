package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Special tokens in text, BOS/EOS, and decoding, on the shared llama.cpp vocabularies. */
class SpecialTokenAndDecodingTest {

    @Test
    void phi3ChatMarkersAreParsedOnlyOnRequestAndSwallowTheFollowingNewline() {
        Tokenizer phi3 = VocabTestVectors.tokenizer("phi-3");
        String chat = "<|user|>\nHello world<|end|>\n<|assistant|>\n";
        // <|user|> 32010, ▁Hello 15043, ▁world 3186, <|end|> 32007, <|assistant|> 32001; Phi-3's added
        // tokens strip the whitespace after them, and text after a special token gets SentencePiece's ▁
        assertThat(phi3.encode(chat, true)).containsExactly(32010, 15043, 3186, 32007, 32001);
        assertThat(phi3.encode(chat, false)).doesNotContain(32010, 32007, 32001);
        assertThat(phi3.specialTokens().eot()).isEqualTo(32007);
        assertThat(phi3.specialTokens().isEndOfGeneration(32007)).isTrue();
        assertThat(phi3.specialTokens().isEndOfGeneration(32000)).isTrue();
    }

    @Test
    void gpt2EndOfTextIsAControlToken() {
        Tokenizer gpt2 = VocabTestVectors.tokenizer("gpt-2");
        assertThat(gpt2.encode("Hello<|endoftext|>", true)).containsExactly(15496, 50256);
        assertThat(gpt2.encode("Hello<|endoftext|>", false)).doesNotContain(50256).startsWith(15496);
        assertThat(gpt2.tokenBytes(50256)).isEmpty();
        assertThat(gpt2.decode(new int[] {15496, 50256, 995})).isEqualTo("Hello world");
        assertThat(gpt2.tokenText(995)).isEqualTo("Ġworld");
        assertThat(new String(gpt2.tokenBytes(995), StandardCharsets.UTF_8)).isEqualTo(" world");
    }

    @Test
    void bosAndEosAreAddedOnlyByTheHelperAndAsTheMetadataSays() {
        Tokenizer spm = VocabTestVectors.tokenizer("llama-spm");
        assertThat(spm.encode("Hello", false)).containsExactly(15043);
        assertThat(Tokenizers.encodeWithSpecials(spm, "Hello", false)).containsExactly(1, 15043);
        Tokenizer gpt2 = VocabTestVectors.tokenizer("gpt-2"); // no add_bos_token key: BPE default is false
        assertThat(Tokenizers.encodeWithSpecials(gpt2, "Hello", false)).containsExactly(15496);
        Tokenizer deepseek = VocabTestVectors.tokenizer("deepseek-llm"); // add_bos_token = true
        assertThat(Tokenizers.encodeWithSpecials(deepseek, "", false)).containsExactly(100000);
    }

    @Test
    void sentencePieceDecodingDropsTheAddedSpaceAndRendersBytes() {
        Tokenizer spm = VocabTestVectors.tokenizer("llama-spm");
        assertThat(spm.decode(new int[] {1, 450, 7483})).isEqualTo("The capital");
        assertThat(spm.decode(new int[] {450, 7483})).isEqualTo("The capital");
        assertThat(spm.tokenBytes(1)).isEmpty(); // <s> is a control token
        assertThat(spm.tokenBytes(13)).containsExactly('\n'); // <0x0A>
        assertThat(spm.tokenBytes(29871)).containsExactly(' '); // ▁
        assertThat(spm.decode(new int[] {243, 162, 157, 131})).isEqualTo("🚀");
        assertThat(spm.decode(new int[] {243, 162})).isEqualTo("\uFFFD");
    }

    @Test
    void sentencePieceFallsBackToBytesForUnknownCharacters() {
        Tokenizer spm = VocabTestVectors.tokenizer("llama-spm");
        // U+1F680 is not in the vocabulary: its four UTF-8 bytes become <0xF0><0x9F><0x9A><0x80>
        assertThat(spm.encode("🚀", false)).containsExactly(29871, 243, 162, 157, 131);
    }

    @Test
    void outOfRangeIdsAreRejectedClearly() {
        Tokenizer spm = VocabTestVectors.tokenizer("llama-spm");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spm.tokenBytes(32000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32000");
    }

    @Test
    void streamingDecoderHoldsIncompleteCharactersAcrossTokens() {
        Tokenizer spm = VocabTestVectors.tokenizer("llama-spm");
        String prompt = "Grüße aus München! 東京は日本の首都です。 🚀";
        int[] ids = spm.encode(prompt, false);
        StreamingDecoder decoder = new StreamingDecoder(spm);
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            String chunk = decoder.feed(id);
            assertThat(chunk).doesNotContain("\uFFFD");
            text.append(chunk);
        }
        assertThat(decoder.hasPending()).isFalse();
        assertThat(decoder.finish()).isEmpty();
        assertThat(text.toString()).isEqualTo(" " + prompt); // streaming keeps SentencePiece's leading space

        StreamingDecoder rocket = new StreamingDecoder(spm);
        assertThat(rocket.feed(243)).isEmpty();
        assertThat(rocket.feed(162)).isEmpty();
        assertThat(rocket.feed(157)).isEmpty();
        assertThat(rocket.feed(131)).isEqualTo("🚀");
    }

    @Test
    void streamingDecoderReplacesBytesThatCanNeverBeValid() {
        Tokenizer spm = VocabTestVectors.tokenizer("llama-spm");
        StreamingDecoder decoder = new StreamingDecoder(spm);
        assertThat(decoder.feed(3 + 0xFF)).isEqualTo("\uFFFD"); // <0xFF> is never valid UTF-8
        assertThat(decoder.feed(3 + 0xF0)).isEmpty();              // a 4-byte lead: wait for more
        assertThat(decoder.feed(263)).isEqualTo("\uFFFD a");       // "▁a" cannot continue it
        assertThat(decoder.feed(3 + 0xE6)).isEmpty();
        assertThat(decoder.finish()).isEqualTo("\uFFFD");           // the stream ended mid-character
        assertThat(decoder.hasPending()).isFalse();
    }

    @Test
    void byteLevelStreamingCompletesCharactersSplitAcrossTokens() {
        Tokenizer gpt2 = VocabTestVectors.tokenizer("gpt-2");
        String text = "東京は日本の首都です 🦙";
        StreamingDecoder decoder = new StreamingDecoder(gpt2);
        StringBuilder out = new StringBuilder();
        for (int id : gpt2.encode(text, false)) {
            String chunk = decoder.feed(id);
            assertThat(chunk).doesNotContain("\uFFFD");
            out.append(chunk);
        }
        assertThat(out.toString()).isEqualTo(text);
    }
}
