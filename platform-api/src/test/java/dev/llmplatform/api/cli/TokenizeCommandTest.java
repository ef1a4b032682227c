package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.testing.SharedTestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizeCommandTest {
    @TempDir
    Path dir;

    private static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.getLast();
    }

    /** A vocabulary-only byte-level BPE file: a, b, ab, Ġ, Ġa and an end-of-text control token. */
    private Path tinyBpe() throws Exception {
        Path file = dir.resolve("tiny-vocab.gguf");
        new GgufWriter()
                .put("general.architecture", "gpt2")
                .put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "gpt-2")
                .put("tokenizer.ggml.tokens", new String[] {"a", "b", "ab", "Ġ", "Ġa", "<|endoftext|>"})
                .putInt32("tokenizer.ggml.token_type", new int[] {1, 1, 1, 1, 1, 3})
                .put("tokenizer.ggml.merges", new String[] {"a b", "Ġ a"})
                .putUint32("tokenizer.ggml.bos_token_id", 5)
                .put("tokenizer.ggml.add_bos_token", true)
                .write(file);
        return file;
    }

    @Test
    void tokenizePrintsTokensThenTheIdsAsTheLastLine() throws Exception {
        Path model = tinyBpe();
        var r = LlmpCommandTest.run("tokenize", "--model", model.toString(), "--text", "ab a");
        assertThat(r.code()).as(r.err()).isZero();
        // each token: id, the bytes it stands for, its vocabulary text
        assertThat(r.out()).contains("\" a\"").contains("\"Ġa\"").contains("\"ab\"");
        assertThat(lastLine(r.out())).isEqualTo("[2, 4]");
    }

    @Test
    void specialTokensAndBosOnlyOnRequest() throws Exception {
        Path model = tinyBpe();
        var plain = LlmpCommandTest.run("tokenize", "--model", model.toString(), "--text", "a<|endoftext|>");
        assertThat(lastLine(plain.out())).doesNotContain("5");
        var special = LlmpCommandTest.run("tokenize", "--model", model.toString(), "--text", "a<|endoftext|>", "--special");
        assertThat(lastLine(special.out())).isEqualTo("[0, 5]");
        var bos = LlmpCommandTest.run("tokenize", "--model", model.toString(), "--text", "ab", "--add-bos");
        assertThat(lastLine(bos.out())).isEqualTo("[5, 2]");
    }

    @Test
    void detokenizeAcceptsCommaListsAndJsonArrays() throws Exception {
        Path model = tinyBpe();
        var r = LlmpCommandTest.run("detokenize", "--model", model.toString(), "--ids", "2,4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ab a" + System.lineSeparator());
        var json = LlmpCommandTest.run("detokenize", "--model", model.toString(), "--ids", "[5, 2, 4]");
        assertThat(json.out()).isEqualTo("ab a" + System.lineSeparator()); // the control token prints as nothing
    }

    @Test
    void errorsAreOneLineMessages() throws Exception {
        Path model = tinyBpe();
        var badIds = LlmpCommandTest.run("detokenize", "--model", model.toString(), "--ids", "1,x");
        assertThat(badIds.code()).isNotZero();
        assertThat(badIds.err()).contains("--ids must be token ids").doesNotContain("Exception");
        var outOfRange = LlmpCommandTest.run("detokenize", "--model", model.toString(), "--ids", "99");
        assertThat(outOfRange.code()).isNotZero();
        assertThat(outOfRange.err()).contains("99").contains("outside the vocabulary").doesNotContain("at dev.");
        var missing = LlmpCommandTest.run("tokenize", "--model", dir.resolve("none.gguf").toString(), "--text", "x");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void roundTripsUnicodeThroughAReferenceVocabulary() {
        Path model = SharedTestData.require("tokenizer/ggml-vocab-llama-spm.gguf");
        String text = "Grüße aus München! 東京 🚀";
        var tok = LlmpCommandTest.run("tokenize", "--model", model.toString(), "--text", text, "--add-bos");
        assertThat(tok.code()).as(tok.err()).isZero();
        String ids = lastLine(tok.out());
        // llama.cpp's ids for this prompt start with BOS, "▁Gr", "ü", "ße" (see models/*.ref.json)
        assertThat(ids).startsWith("[1, 1632, 29993, 5831,");
        // 🚀 is not in this vocabulary: four byte tokens, each printed as the byte it holds
        assertThat(tok.out()).contains("\"\\xF0\"").contains("\"<0xF0>\"");
        var detok = LlmpCommandTest.run("detokenize", "--model", model.toString(), "--ids", ids);
        assertThat(detok.code()).as(detok.err()).isZero();
        assertThat(detok.out()).isEqualTo(text + System.lineSeparator());
    }
}
