package dev.llmplatform.engine.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 helpers for decoding token bytes. */
final class Utf8 {
    private Utf8() {
    }

    /** Decodes UTF-8, replacing each invalid or truncated sequence by U+FFFD. */
    static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    static String decode(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("cannot happen with REPLACE", e);
        }
    }

    /**
     * How many bytes at the end of {@code bytes[0, length)} are the start of a multi-byte sequence
     * that more bytes could still complete (0 to 3). Bytes that can never become valid UTF-8 are not
     * counted: they are decoded (as U+FFFD) right away instead of being held back.
     */
    static int incompleteTail(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for the lead byte
            }
            int need = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (need <= back) {
                return 0; // ASCII, an invalid lead byte, or a sequence that is already complete
            }
            if (back >= 2 && !validSecondByte(b, bytes[length - back + 1] & 0xFF)) {
                return 0;
            }
            return back;
        }
        return 0;
    }

    /** The second byte's narrower ranges that exclude overlong forms, surrogates and code points past U+10FFFF. */
    private static boolean validSecondByte(int lead, int second) {
        return switch (lead) {
            case 0xE0 -> second >= 0xA0 && second <= 0xBF;
            case 0xED -> second >= 0x80 && second <= 0x9F;
            case 0xF0 -> second >= 0x90 && second <= 0xBF;
            case 0xF4 -> second >= 0x80 && second <= 0x8F;
            default -> second >= 0x80 && second <= 0xBF;
        };
    }
}
