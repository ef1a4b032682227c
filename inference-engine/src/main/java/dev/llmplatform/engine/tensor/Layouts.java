package dev.llmplatform.engine.tensor;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian, unaligned value layouts for reading ggml blocks out of a mapped file. */
final class Layouts {
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private Layouts() {
    }

    /** The F16 value stored at byte {@code offset}, as a float. */
    static float f16(java.lang.foreign.MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(SHORT, offset));
    }

    /** The unsigned byte at {@code offset}. */
    static int u8(java.lang.foreign.MemorySegment data, long offset) {
        return data.get(BYTE, offset) & 0xFF;
    }
}
