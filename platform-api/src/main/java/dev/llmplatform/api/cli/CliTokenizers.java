package dev.llmplatform.api.cli;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.engine.tokenizer.Tokenizers;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Loading a model's tokenizer and printing tokens, for the tokenize/detokenize commands. */
final class CliTokenizers {
    private CliTokenizers() {
    }

    static Tokenizer load(Path model) {
        try (GgufFile file = GgufFile.open(model)) {
            if (!file.metadata().has("tokenizer.ggml.model")) {
                throw new IllegalArgumentException("--model " + model + ": the file has no tokenizer (tokenizer.ggml.model)");
            }
            return Tokenizers.fromGguf(file.metadata());
        }
    }

    /** A JSON string literal, so that token texts with spaces, newlines or quotes print unambiguously. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.chars().forEach(c -> escape((char) c, b));
        return b.append('"').toString();
    }

    /**
     * A token's bytes as a quoted literal: valid UTF-8 as text (escaped as in JSON), the bytes of an
     * incomplete or invalid sequence (a token may hold part of a character) as \xNN.
     */
    static String pieceLiteral(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length + 2).append('"');
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            int len = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
            String decoded = len > 0 && i + len <= bytes.length ? strictUtf8(bytes, i, len) : null;
            if (decoded != null) {
                decoded.chars().forEach(c -> escape((char) c, b));
                i += len;
            } else {
                b.append(String.format("\\x%02X", lead));
                i++;
            }
        }
        return b.append('"').toString();
    }

    private static void escape(char c, StringBuilder b) {
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

    private static String strictUtf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
