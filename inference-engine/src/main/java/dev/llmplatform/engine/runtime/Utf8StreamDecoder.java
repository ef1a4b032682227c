package dev.llmplatform.engine.runtime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the byte pieces of successive tokens into text, keeping a character split across tokens
 * (byte-fallback and byte-level BPE do that) until its last byte arrives. Invalid bytes become U+FFFD.
 */
public final class Utf8StreamDecoder {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer in = ByteBuffer.allocate(64);
    private CharBuffer out = CharBuffer.allocate(64);

    /** Adds bytes; returns the characters they complete. */
    public String push(byte[] bytes) {
        return decode(bytes, false);
    }

    /** Ends the stream: an incomplete trailing character becomes U+FFFD. */
    public String finish() {
        String s = decode(new byte[0], true);
        decoder.reset();
        return s;
    }

    private String decode(byte[] bytes, boolean end) {
        if (in.remaining() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(in.position() + bytes.length + 64);
            in.flip();
            bigger.put(in);
            in = bigger;
        }
        in.put(bytes);
        in.flip();
        if (out.capacity() < in.remaining() + 8) {
            out = CharBuffer.allocate(in.remaining() + 64);
        }
        out.clear();
        decoder.decode(in, out, end);
        if (end) {
            decoder.flush(out);
        }
        in.compact();
        out.flip();
        return out.toString();
    }
}
