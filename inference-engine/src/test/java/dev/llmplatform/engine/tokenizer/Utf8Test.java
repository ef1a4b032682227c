package dev.llmplatform.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Utf8Test {
    private static int tail(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8.incompleteTail(b, b.length);
    }

    @Test
    void countsOnlyPrefixesThatMoreBytesCanComplete() {
        assertThat(tail()).isZero();
        assertThat(tail('a')).isZero();
        assertThat(tail(0xC3)).isEqualTo(1);
        assertThat(tail(0xC3, 0xA9)).isZero();           // é complete
        assertThat(tail('a', 0xE6, 0x9D)).isEqualTo(2);  // 2 of 3 bytes
        assertThat(tail(0xF0, 0x9F, 0x9A)).isEqualTo(3); // 3 of 4 bytes
        assertThat(tail(0xF0, 0x9F, 0x9A, 0x80)).isZero();
    }

    @Test
    void neverHoldsBytesThatCannotBecomeValid() {
        assertThat(tail(0xFF)).isZero();
        assertThat(tail(0xC0)).isZero();       // overlong lead
        assertThat(tail(0x80)).isZero();       // stray continuation
        assertThat(tail(0xE0, 0x80)).isZero(); // overlong 3-byte form
        assertThat(tail(0xED, 0xA0)).isZero(); // surrogate
        assertThat(tail(0xF4, 0x90)).isZero(); // past U+10FFFF
    }
}
