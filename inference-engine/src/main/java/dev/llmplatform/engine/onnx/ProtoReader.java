package dev.llmplatform.engine.onnx;

import java.nio.charset.StandardCharsets;

/**
 * Reads the protocol-buffers wire format (varints, fixed 32/64-bit values, length-delimited fields)
 * from a byte range. Only the wire format is known here; the message schemas live in the classes that
 * decode ONNX messages. Every length is checked against the bytes that remain, so a truncated or
 * corrupted file fails with an {@link OnnxException} instead of reading garbage.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final int end;
    private int pos;
    private int lastTag;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    ProtoReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new OnnxException("message range [" + offset + ", +" + length + ") outside the " + buf.length + " bytes");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Reads the next field's tag; its number is {@link #fieldNumber()}, its wire type {@link #wireType()}. */
    int readTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > 0xFFFF_FFFFL || (tag >>> 3) == 0) {
            throw new OnnxException("invalid field tag " + tag + " at byte " + pos);
        }
        lastTag = (int) tag;
        return lastTag;
    }

    int fieldNumber() {
        return lastTag >>> 3;
    }

    int wireType() {
        return lastTag & 7;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new OnnxException("truncated varint at byte " + pos);
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new OnnxException("varint longer than 10 bytes at byte " + pos);
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long readFixed64() {
        long lo = readFixed32() & 0xFFFF_FFFFL;
        long hi = readFixed32() & 0xFFFF_FFFFL;
        return lo | hi << 32;
    }

    float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    /** Reads a length prefix and returns the start offset of the {@code length} bytes that follow, skipping them. */
    Slice readBytesSlice() {
        long len = readVarint();
        if (len < 0 || len > end - pos) {
            throw new OnnxException("length " + len + " at byte " + pos + " exceeds the " + (end - pos) + " bytes left");
        }
        Slice s = new Slice(buf, pos, (int) len);
        pos += (int) len;
        return s;
    }

    String readString() {
        Slice s = readBytesSlice();
        return new String(buf, s.offset(), s.length(), StandardCharsets.UTF_8);
    }

    /** A reader over the embedded message that follows. */
    ProtoReader readMessage() {
        Slice s = readBytesSlice();
        return new ProtoReader(buf, s.offset(), s.length());
    }

    /**
     * Reads a repeated integer field that may be packed (one length-delimited run of varints) or not
     * (one varint per tag); protobuf writers may use either, so readers must accept both.
     */
    void readVarints(LongSink sink) {
        if (wireType() == LENGTH_DELIMITED) {
            ProtoReader packed = readMessage();
            while (packed.hasMore()) {
                sink.accept(packed.readVarint());
            }
        } else {
            sink.accept(readVarint());
        }
    }

    /** Skips the current field's value, whatever its wire type. */
    void skipField() {
        switch (wireType()) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> readBytesSlice();
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            case START_GROUP -> {
                int group = fieldNumber();
                while (true) {
                    readTag();
                    if (wireType() == END_GROUP) {
                        if (fieldNumber() != group) {
                            throw new OnnxException("mismatched end of group " + fieldNumber() + " at byte " + pos);
                        }
                        return;
                    }
                    skipField();
                }
            }
            default -> throw new OnnxException("unsupported wire type " + wireType() + " at byte " + pos);
        }
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new OnnxException("truncated field at byte " + pos + " (needs " + n + " bytes, " + (end - pos) + " left)");
        }
    }

    @FunctionalInterface
    interface LongSink {
        void accept(long v);
    }

    /** A byte range inside the buffer (no copy). */
    record Slice(byte[] buf, int offset, int length) {}
}
