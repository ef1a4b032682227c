package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Word splits per pre-tokenizer family on strings that exercise each family's rules. Expectations are
 * worked out by hand from the families' published regexes and llama.cpp's splitting (regexes applied in
 * sequence, unmatched text kept as its own piece).
 */
class PreTokenizerTest {

    private static List<String> split(String pre, String text) {
        return PreTokenizer.forName(pre).split(text);
    }

    @Test
    void gpt2ContractionsAreLowerCaseOnly() {
        assertThat(split("gpt-2", "I'm sure you're right")).containsExactly("I", "'m", " sure", " you", "'re", " right");
        assertThat(split("gpt-2", "I'M")).containsExactly("I", "'", "M");
    }

    @Test
    void gpt2KeepsDigitRunsAndPunctuationRuns() {
        assertThat(split("gpt-2", "x=12345!?")).containsExactly("x", "=", "12345", "!?");
        assertThat(split("gpt-2", " 🚀!")).containsExactly(" 🚀!");
    }

    @Test
    void gpt2LeavesTheLastSpaceOfARunToTheNextWord() {
        assertThat(split("gpt-2", "a   b")).containsExactly("a", "  ", " b");
        assertThat(split("gpt-2", "a   ")).containsExactly("a", "   ");
        assertThat(split("gpt-2", "a\n\nb")).containsExactly("a", "\n", "\n", "b");
        assertThat(split("gpt-2", "a \tb")).containsExactly("a", " ", "\t", "b");
    }

    @Test
    void nonAsciiWhitespaceIsWhitespace() {
        assertThat(split("gpt-2", "a\u3000b")).containsExactly("a", "\u3000", "b");
        assertThat(split("gpt-2", "a\u00A0\u00A0b")).containsExactly("a", "\u00A0", "\u00A0", "b");
        // a non-letter other than CR/LF may lead a word in the Llama 3 split, whitespace included
        assertThat(split("llama-bpe", "x\u2028\u2028y")).containsExactly("x", "\u2028", "\u2028y");
    }

    @Test
    void gpt2TreatsLettersOfAnyScriptAsLetters() {
        assertThat(split("gpt-2", "Grüße aus 東京")).containsExactly("Grüße", " aus", " 東京");
        assertThat(split("gpt-2", "нещо на")).containsExactly("нещо", " на");
    }

    @Test
    void llama3GroupsDigitsInThrees() {
        assertThat(split("llama-bpe", "12345678")).containsExactly("123", "456", "78");
        assertThat(split("llama3", "$100")).containsExactly("$", "100");
    }

    @Test
    void llama3ContractionsIgnoreCaseAndANonLetterMayLeadAWord() {
        assertThat(split("llama-bpe", "I'M (hello")).containsExactly("I", "'M", " (", "hello");
        assertThat(split("llama-bpe", "(hello")).containsExactly("(hello");
        assertThat(split("llama-bpe", "don't")).containsExactly("don", "'t");
    }

    @Test
    void llama3KeepsLineBreaksWithPrecedingWhitespaceAndPunctuation() {
        assertThat(split("llama-bpe", "Hello\n\nworld")).containsExactly("Hello", "\n\n", "world");
        assertThat(split("llama-bpe", "x;\n  y")).containsExactly("x", ";\n", " ", " y");
        assertThat(split("llama-bpe", "a \n \nb")).containsExactly("a", " \n \n", "b");
    }

    @Test
    void llama3FamilyBypassesMergesAndAddsBos() {
        assertThat(PreTokenizer.forName("llama-bpe").ignoresMerges()).isTrue();
        assertThat(PreTokenizer.addsBosByDefault("llama-bpe")).isTrue();
        assertThat(PreTokenizer.forName("dbrx").ignoresMerges()).isFalse();
        assertThat(PreTokenizer.addsBosByDefault("gpt-2")).isFalse();
    }

    @Test
    void qwen2SplitsEveryDigit() {
        assertThat(split("qwen2", "x 2024")).containsExactly("x", " ", "2", "0", "2", "4");
        assertThat(split("qwen2", "It'S")).containsExactly("It", "'S");
    }

    @Test
    void deepseekLlmSplitsLettersPunctuationCjkAndNumbersInTurn() {
        assertThat(split("deepseek-llm", "Hello World 123")).containsExactly("Hello", " World", " ", "123");
        assertThat(split("deepseek-llm", "東京abc")).containsExactly("東京", "abc");
        assertThat(split("deepseek-llm", "a\nb")).containsExactly("a", "\n", "b");
        assertThat(split("deepseek-llm", "ok!!  ")).containsExactly("ok", "!!", "  ");
    }

    @Test
    void deepseekCoderSplitsSingleDigits() {
        assertThat(split("deepseek-coder", "x = 12;")).containsExactly("x", " = ", "1", "2", ";");
    }

    @Test
    void falconSplitsPunctuationFirstAndDigitsInThrees() {
        assertThat(split("falcon", "Hello, world!!")).containsExactly("Hello", ",", " world", "!!");
        assertThat(split("falcon", "1234567")).containsExactly("123", "456", "7");
        assertThat(split("falcon", "x == y")).containsExactly("x", " ", "==", " y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"starcoder", "refact", "command-r", "smollm"})
    void starcoderFamilySplitsEveryDigit(String pre) {
        assertThat(split(pre, "abc123")).containsExactly("abc", "1", "2", "3");
        assertThat(split(pre, "it's 42")).containsExactly("it", "'s", " ", "4", "2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-2", "mpt", "gpt-neox", "olmo"})
    void gpt2FamilyMembersShareTheGpt2Split(String pre) {
        assertThat(split(pre, "Hello  world's 2024")).containsExactly("Hello", " ", " world", "'s", " 2024");
    }

    @Test
    void gpt4oSplitsCaseRunsWithContractionsAndDigitTriples() {
        assertThat(split("gpt-4o", "HelloWorld's 12345")).containsExactly("Hello", "World's", " ", "123", "45");
        assertThat(split("llama4", "a/b\n")).containsExactly("a", "/b", "\n");
    }

    @Test
    void deepseekV3SplitsDigitsAndKanaFirstAndKeepsLlamaCppsTildeQuirk() {
        assertThat(split("deepseek-v3", "Hello, ~world 12345 東京"))
                .containsExactly("Hello", ",", " ", "~world", " ", "123", "45", " ", "東京");
        // in llama.cpp's ASCII tables '~' is neither punctuation nor symbol, so a run of them matches nothing
        assertThat(split("deepseek-v3", "a ~~")).containsExactly("a", " ", "~~");
        assertThat(split("deepseek-v3", "a !!")).containsExactly("a", " !!");
    }

    @Test
    void defaultSplitsOperatorsAndDigitTriples() {
        assertThat(split("default", "a+b=12345")).containsExactly("a", "+", "b", "=", "123", "45");
    }

    @Test
    void bloomSplitsAtSentenceMarks() {
        assertThat(split("bloom", "Hello, world. ok")).containsExactly("Hello", ",", " world", ".", " ok");
    }

    @Test
    void tekkenSplitsCamelCase() {
        assertThat(split("tekken", "HelloWorld 12")).containsExactly("Hello", "World", " ", "1", "2");
    }

    @Test
    void gemma4SplitsOnlyAtLineBreaks() {
        assertThat(split("gemma4", "a\u2581b\n\nc")).containsExactly("a\u2581b", "\n\n", "c");
        assertThat(PreTokenizer.forName("gemma4").byteLevel()).isFalse();
    }

    @Test
    void unknownNamesFallBackToTheDefault() {
        assertThat(PreTokenizer.forName("no-such-pre").family()).isEqualTo("default");
        assertThat(PreTokenizer.forName("").family()).isEqualTo("default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "gpt-2", "llama-bpe", "qwen2", "deepseek-llm", "deepseek-coder", "falcon",
            "starcoder", "bloom", "tekken", "gemma4", "gpt-4o", "deepseek-v3"})
    void piecesAlwaysConcatenateToTheInput(String pre) {
        Random random = new Random(42);
        String alphabet = "aZé東🚀1٣ \t\n\r\u00A0\u3000'.,!$+=~|_-()[]{}\"ß\u0301";
        int[] cps = alphabet.codePoints().toArray();
        for (int n = 0; n < 200; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                sb.appendCodePoint(cps[random.nextInt(cps.length)]);
            }
            String text = sb.toString();
            List<String> pieces = split(pre, text);
            assertThat(String.join("", pieces)).isEqualTo(text);
            assertThat(pieces).noneMatch(String::isEmpty);
        }
    }
}
