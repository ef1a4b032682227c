package dev.llmplatform.engine.tokenizer;

import java.util.Arrays;

/**
 * Turns generated token ids, fed one at a time, into text without ever splitting a UTF-8 character:
 * a token may end in the middle of a multi-byte sequence (byte tokens, byte-level BPE), so the bytes
 * of an incomplete sequence are held until the token that completes them arrives. Bytes that can never
 * form valid UTF-8 come out as U+FFFD at once. Not thread-safe: one decoder per generation stream.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private byte[] pending = new byte[16];
    private int pendingLength;

    public StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token and returns the text that is now complete (possibly empty). */
    public String feed(int id) {
        byte[] bytes = tokenizer.tokenBytes(id);
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
        int complete = pendingLength - Utf8.incompleteTail(pending, pendingLength);
        if (complete == 0) {
            return "";
        }
        String text = Utf8.decode(pending, 0, complete);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        return text;
    }

    /** True while bytes of an incomplete character are held back. */
    public boolean hasPending() {
        return pendingLength > 0;
    }

    /** Ends the stream: returns what is still held, an incomplete character as U+FFFD, and resets. */
    public String finish() {
        String text = Utf8.decode(pending, 0, pendingLength);
        pendingLength = 0;
        return text;
    }
}
