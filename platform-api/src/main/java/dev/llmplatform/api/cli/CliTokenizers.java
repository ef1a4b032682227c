package dev.llmplatform.api.cli;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.nio.file.Path;

/** Loading a model's tokenizer for the tokenize/detokenize commands. */
final class CliTokenizers {
    private CliTokenizers() {
    }

    static Tokenizer load(Path model) {
        try (GgufFile file = GgufFile.open(CliFiles.requireFile(model, "--model"))) {
            if (!file.metadata().has("tokenizer.ggml.model")) {
                throw new IllegalArgumentException("--model " + model + ": the file has no tokenizer (tokenizer.ggml.model)");
            }
            return Tokenizers.fromGguf(file.metadata());
        }
    }

    /** A JSON string literal, so that token texts with spaces, newlines or quotes print unambiguously. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
