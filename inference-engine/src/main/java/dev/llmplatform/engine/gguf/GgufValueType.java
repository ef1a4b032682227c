package dev.llmplatform.engine.gguf;

/** The metadata value types of GGUF, by their on-disk id. */
public enum GgufValueType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), BOOL(1),
    STRING(8), ARRAY(12), UINT64(8), INT64(8), FLOAT64(8);

    /** The fewest bytes one value of this type takes on disk; bounds counts read from the file. */
    final int minBytes;

    GgufValueType(int minBytes) {
        this.minBytes = minBytes;
    }

    public int id() {
        return ordinal();
    }

    static GgufValueType fromId(int id) {
        GgufValueType[] all = values();
        return id >= 0 && id < all.length ? all[id] : null;
    }
}
