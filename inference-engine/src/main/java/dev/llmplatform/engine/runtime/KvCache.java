package dev.llmplatform.engine.runtime;

/**
 * The keys and values of every layer for the positions a sequence has processed, sized for the context
 * the sequence asked for (not the model's maximum). Row {@code p} of layer {@code l} holds position p.
 */
public final class KvCache {
    private final int capacity;
    private final int keyDim;
    private final int valueDim;
    private final float[][] keys;
    private final float[][] values;

    public KvCache(int layers, int capacity, int keyDim, int valueDim) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("context size must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        keys = new float[layers][];
        values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = new float[Math.multiplyExact(capacity, keyDim)];
            values[l] = new float[Math.multiplyExact(capacity, valueDim)];
        }
    }

    /** Positions the cache can hold. */
    public int capacity() {
        return capacity;
    }

    public int keyDim() {
        return keyDim;
    }

    public int valueDim() {
        return valueDim;
    }

    /** Layer {@code layer}'s keys, {@link #keyDim()} floats per position. */
    public float[] keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, {@link #valueDim()} floats per position. */
    public float[] values(int layer) {
        return values[layer];
    }

    /** Bytes held, for reporting memory use. */
    public long byteSize() {
        return 4L * keys.length * capacity * (keyDim + (long) valueDim);
    }
}
