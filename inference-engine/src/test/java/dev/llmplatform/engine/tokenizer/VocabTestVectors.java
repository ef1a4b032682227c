package dev.llmplatform.engine.tokenizer;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * llama.cpp's tokenizer test vectors in shared/testdata/tokenizer: {@code ggml-vocab-NAME.gguf.inp}
 * holds strings separated by "\n__ggml_vocab_test__\n", line k of the {@code .out} file the ids
 * llama.cpp produces for string k (no BOS, specials not parsed).
 */
final class VocabTestVectors {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    record Case(String vocab, int index, String text, int[] expected) {
        @Override
        public String toString() {
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            return vocab + " #" + index + " " + shown.replace("\n", "\\n").replace("\t", "\\t");
        }
    }

    private VocabTestVectors() {
    }

    static Path vocabFile(String name) {
        return SharedTestData.require("tokenizer/ggml-vocab-" + name + ".gguf");
    }

    /** The tokenizer of a shared vocab file, loaded once per test run. */
    static Tokenizer tokenizer(String name) {
        return TOKENIZERS.computeIfAbsent(name, n -> {
            try (GgufFile file = GgufFile.open(vocabFile(n))) {
                return Tokenizers.fromGguf(file.metadata());
            }
        });
    }

    static List<Case> cases(String name) {
        Path vocab = vocabFile(name);
        try {
            String inp = Files.readString(vocab.resolveSibling(vocab.getFileName() + ".inp"), StandardCharsets.UTF_8);
            List<String> outLines = Files.readAllLines(vocab.resolveSibling(vocab.getFileName() + ".out"));
            List<String> texts = new ArrayList<>(Arrays.asList(inp.split(SEPARATOR, -1)));
            if (texts.getLast().isEmpty()) {
                texts.removeLast(); // the file ends with a separator
            }
            if (texts.size() != outLines.size()) {
                throw new IllegalStateException(name + ": " + texts.size() + " strings but " + outLines.size() + " id lines");
            }
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String line = outLines.get(i).trim();
                int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split("\\s+")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(name, i, texts.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
