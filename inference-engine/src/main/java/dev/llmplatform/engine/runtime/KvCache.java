package dev.llmplatform.engine.runtime;

/**
 * The keys and values of every layer for the positions a sequence has processed. Its capacity is the
 * context the sequence asked for (not the model's maximum); memory is reserved as positions are used,
 * doubling from {@link #INITIAL_POSITIONS}, so a long-context sequence that stays short stays small.
 * Row {@code p} of layer {@code l} holds position p.
 */
public final class KvCache {
    /** Positions reserved up front. */
    static final int INITIAL_POSITIONS = 256;

    private final int capacity;
    private final int keyDim;
    private final int valueDim;
    private final float[][] keys;
    private final float[][] values;
    private int reserved;

    public KvCache(int layers, int capacity, int keyDim, int valueDim) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("context size must be positive, got " + capacity);
        }
        Math.multiplyExact(capacity, Math.max(keyDim, valueDim)); // arrays of the full context must be possible
        this.capacity = capacity;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        keys = new float[layers][];
        values = new float[layers][];
        reserved = Math.min(capacity, INITIAL_POSITIONS);
        for (int l = 0; l < layers; l++) {
            keys[l] = new float[reserved * keyDim];
            values[l] = new float[reserved * valueDim];
        }
    }

    /** Positions the cache can hold. */
    public int capacity() {
        return capacity;
    }

    /** Positions memory is currently reserved for. */
    public int reserved() {
        return reserved;
    }

    /** Makes room for positions {@code [0, positions)}, keeping what is stored. */
    public void reserve(int positions) {
        if (positions <= reserved) {
            return;
        }
        if (positions > capacity) {
            throw new IllegalArgumentException(positions + " positions exceed the context of " + capacity);
        }
        int grown = (int) Math.min(capacity, Math.max(positions, 2L * reserved));
        for (int l = 0; l < keys.length; l++) {
            keys[l] = java.util.Arrays.copyOf(keys[l], grown * keyDim);
            values[l] = java.util.Arrays.copyOf(values[l], grown * valueDim);
        }
        reserved = grown;
    }

    public int keyDim() {
        return keyDim;
    }

    public int valueDim() {
        return valueDim;
    }

    /** Layer {@code layer}'s keys, {@link #keyDim()} floats per position (valid until the next {@link #reserve}). */
    public float[] keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, {@link #valueDim()} floats per position (valid until the next {@link #reserve}). */
    public float[] values(int layer) {
        return values[layer];
    }

    /** Bytes currently held, for reporting memory use. */
    public long byteSize() {
        return 4L * keys.length * reserved * (keyDim + (long) valueDim);
    }
}
