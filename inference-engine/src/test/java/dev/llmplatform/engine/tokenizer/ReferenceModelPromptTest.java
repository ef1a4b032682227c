package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference models in shared/testdata/models: for every recorded case, our ids for the prompt
 * (with BOS/EOS as the vocabulary asks) equal the {@code prompt_tokens} llama.cpp's server used.
 */
class ReferenceModelPromptTest {
    private static final Pattern CASE = Pattern.compile(
            "\"prompt\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,\\s*\"prompt_tokens\"\\s*:\\s*\\[([^\\]]*)\\]");

    static Stream<Path> models() throws IOException {
        Path dir = SharedTestData.require("models");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".gguf")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void promptTokensMatchTheReference(Path model) throws IOException {
        String name = model.getFileName().toString();
        Path ref = model.resolveSibling(name.substring(0, name.length() - ".gguf".length()) + ".ref.json");
        Matcher m = CASE.matcher(Files.readString(ref));
        List<String> checked = new ArrayList<>();
        Tokenizer tokenizer;
        try (GgufFile file = GgufFile.open(model)) {
            tokenizer = Tokenizers.fromGguf(file.metadata());
        }
        while (m.find()) {
            String prompt = unescapeJson(m.group(1));
            int[] expected = Arrays.stream(m.group(2).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            assertThat(Tokenizers.encodeWithSpecials(tokenizer, prompt, false)).as(prompt).containsExactly(expected);
            checked.add(prompt);
        }
        assertThat(checked).as("cases found in " + ref).hasSizeGreaterThanOrEqualTo(5);
    }

    /** Decodes the escapes of a JSON string body. */
    static String unescapeJson(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> out.append(e); // \" \\ \/
            }
        }
        return out.toString();
    }
}
