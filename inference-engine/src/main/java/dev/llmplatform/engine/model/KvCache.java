package dev.llmplatform.engine.model;

/**
 * The keys and values of every layer for the positions a sequence has processed, stored in a
 * {@link KvType}. Its capacity is the context the sequence asked for (not the model's maximum); memory
 * is reserved as positions are used, doubling from {@link #INITIAL_POSITIONS}, so a long-context
 * sequence that stays short stays small.
 *
 * <p>Layout: one array per (layer, KV head) holding its positions one after another, head-dim values
 * each, so attention over one head streams through contiguous memory. Attention reads the cache a tile
 * of positions at a time ({@link #keyScores}, {@link #addValues}), which keeps the element-type
 * conversion inside the cache and out of the softmax loop.
 */
public abstract sealed class KvCache permits F32KvCache, F16KvCache, Q8KvCache {
    /** Positions reserved up front. */
    static final int INITIAL_POSITIONS = 256;

    final int layers;
    final int kvHeads;
    final int headDimK;
    final int headDimV;
    private final int capacity;
    private int reserved;

    KvCache(int layers, int capacity, int kvHeads, int headDimK, int headDimV) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("context size must be positive, got " + capacity);
        }
        Math.multiplyExact(capacity, Math.max(headDimK, headDimV)); // arrays of the full context must be possible
        this.layers = layers;
        this.capacity = capacity;
        this.kvHeads = kvHeads;
        this.headDimK = headDimK;
        this.headDimV = headDimV;
        this.reserved = Math.min(capacity, INITIAL_POSITIONS);
    }

    /**
     * A cache of {@code type} for {@code capacity} positions of a model with {@code layers} layers and
     * {@code kvHeads} KV heads of the given key and value head dimensions.
     *
     * @throws IllegalArgumentException for Q8_0 when a head dimension is not a multiple of 32
     */
    public static KvCache create(KvType type, int layers, int capacity, int kvHeads, int headDimK, int headDimV) {
        return switch (type) {
            case F32 -> new F32KvCache(layers, capacity, kvHeads, headDimK, headDimV);
            case F16 -> new F16KvCache(layers, capacity, kvHeads, headDimK, headDimV);
            case Q8_0 -> new Q8KvCache(layers, capacity, kvHeads, headDimK, headDimV);
        };
    }

    public abstract KvType type();

    /** Positions the cache can hold. */
    public final int capacity() {
        return capacity;
    }

    /** Positions memory is currently reserved for. */
    public final int reserved() {
        return reserved;
    }

    /** Makes room for positions {@code [0, positions)}, keeping what is stored. */
    public final void reserve(int positions) {
        if (positions <= reserved) {
            return;
        }
        if (positions > capacity) {
            throw new IllegalArgumentException(positions + " positions exceed the context of " + capacity);
        }
        int grown = (int) Math.min(capacity, Math.max(positions, 2L * reserved));
        grow(grown);
        reserved = grown;
    }

    /** Reallocates every array for {@code positions} positions, keeping the stored ones. */
    abstract void grow(int positions);

    /** Key values per position across all KV heads. */
    public final int keyDim() {
        return kvHeads * headDimK;
    }

    /** Value values per position across all KV heads. */
    public final int valueDim() {
        return kvHeads * headDimV;
    }

    /**
     * Stores position {@code pos} of layer {@code layer}: {@link #keyDim()} keys from {@code k[kOff..]}
     * and {@link #valueDim()} values from {@code v[vOff..]}, KV head after KV head.
     */
    public abstract void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff);

    /**
     * {@code scores[i] = q[qOff..qOff+headDimK) · key(from + i)} of KV head {@code kvHead} for positions
     * {@code [from, to)}.
     */
    public abstract void keyScores(int layer, int kvHead, int from, int to, float[] q, int qOff, float[] scores);

    /**
     * {@code out[outOff..outOff+headDimV) += Σ weights[i] · value(from + i)} of KV head {@code kvHead}
     * over positions {@code [from, to)}.
     */
    public abstract void addValues(int layer, int kvHead, int from, int to, float[] weights, float[] out, int outOff);

    /**
     * Keys of KV head {@code kvHead} for positions {@code [from, to)} as floats, position after position
     * ({@code headDimK} each), into {@code out[outOff..]}: what a prompt's attention packs for its GEMMs.
     */
    public abstract void readKeys(int layer, int kvHead, int from, int to, float[] out, int outOff);

    /** Values of KV head {@code kvHead} for positions {@code [from, to)}, as {@link #readKeys} does keys. */
    public abstract void readValues(int layer, int kvHead, int from, int to, float[] out, int outOff);

    /** Bytes of the arrays currently allocated, for reporting memory use. */
    public abstract long byteSize();

    final int slot(int layer, int kvHead) {
        return layer * kvHeads + kvHead;
    }
}
