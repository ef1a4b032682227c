package dev.llmplatform.engine.model;

import java.util.Arrays;

/**
 * Keys and values in GGML's Q8_0 scheme: each head-dim row is cut into blocks of 32 values stored as
 * int8 with one F16 scale per block (the block's largest magnitude / 127), 34 bytes per 32 values.
 * Blocks never straddle rows, so head dimensions must be multiples of 32.
 */
final class Q8KvCache extends KvCache {
    static final int BLOCK = 32;

    private final byte[][] keys;
    private final short[][] keyScales;
    private final byte[][] values;
    private final short[][] valueScales;

    Q8KvCache(int layers, int capacity, int kvHeads, int headDimK, int headDimV) {
        super(layers, capacity, kvHeads, headDimK, headDimV);
        if (headDimK % BLOCK != 0 || headDimV % BLOCK != 0) {
            throw new IllegalArgumentException("a Q8_0 KV cache needs head dimensions that are multiples of " + BLOCK
                    + ", this model's are " + headDimK + " (keys) and " + headDimV + " (values); use f16 or f32");
        }
        int slots = layers * kvHeads;
        keys = new byte[slots][reserved() * headDimK];
        keyScales = new short[slots][reserved() * headDimK / BLOCK];
        values = new byte[slots][reserved() * headDimV];
        valueScales = new short[slots][reserved() * headDimV / BLOCK];
    }

    @Override
    public KvType type() {
        return KvType.Q8_0;
    }

    @Override
    void grow(int positions) {
        for (int s = 0; s < keys.length; s++) {
            keys[s] = Arrays.copyOf(keys[s], positions * headDimK);
            keyScales[s] = Arrays.copyOf(keyScales[s], positions * headDimK / BLOCK);
            values[s] = Arrays.copyOf(values[s], positions * headDimV);
            valueScales[s] = Arrays.copyOf(valueScales[s], positions * headDimV / BLOCK);
        }
    }

    @Override
    public void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            int s = slot(layer, h);
            quantize(k, kOff + h * headDimK, keys[s], keyScales[s], pos * headDimK, headDimK);
            quantize(v, vOff + h * headDimV, values[s], valueScales[s], pos * headDimV, headDimV);
        }
    }

    /** Quantizes {@code n} values (a multiple of 32) to {@code qs[at..]} with scales at {@code scales[at/32..]}. */
    private static void quantize(float[] src, int srcOff, byte[] qs, short[] scales, int at, int n) {
        for (int b = 0; b < n; b += BLOCK) {
            float amax = 0;
            for (int i = 0; i < BLOCK; i++) {
                amax = Math.max(amax, Math.abs(src[srcOff + b + i]));
            }
            float d = amax / 127f;
            float inv = d == 0 ? 0 : 1f / d;
            scales[(at + b) / BLOCK] = Float.floatToFloat16(d);
            for (int i = 0; i < BLOCK; i++) {
                qs[at + b + i] = (byte) Math.round(src[srcOff + b + i] * inv);
            }
        }
    }

    @Override
    public void keyScores(int layer, int kvHead, int from, int to, float[] q, int qOff, float[] scores) {
        int s = slot(layer, kvHead);
        for (int t = from; t < to; t++) {
            scores[t - from] = KvMath.dotQ8(q, qOff, keys[s], keyScales[s], t * headDimK, headDimK);
        }
    }

    @Override
    public void addValues(int layer, int kvHead, int from, int to, float[] weights, float[] out, int outOff) {
        int s = slot(layer, kvHead);
        for (int t = from; t < to; t++) {
            KvMath.axpyQ8(weights[t - from], values[s], valueScales[s], t * headDimV, out, outOff, headDimV);
        }
    }

    @Override
    public void readKeys(int layer, int kvHead, int from, int to, float[] out, int outOff) {
        int s = slot(layer, kvHead);
        dequantize(keys[s], keyScales[s], from * headDimK, (to - from) * headDimK, out, outOff);
    }

    @Override
    public void readValues(int layer, int kvHead, int from, int to, float[] out, int outOff) {
        int s = slot(layer, kvHead);
        dequantize(values[s], valueScales[s], from * headDimV, (to - from) * headDimV, out, outOff);
    }

    /** {@code n} values (whole blocks) from {@code qs[at..]}, each times its block's scale. */
    private static void dequantize(byte[] qs, short[] scales, int at, int n, float[] out, int outOff) {
        for (int b = 0; b < n; b += BLOCK) {
            float d = Float.float16ToFloat(scales[(at + b) / BLOCK]);
            for (int i = 0; i < BLOCK; i++) {
                out[outOff + b + i] = d * qs[at + b + i];
            }
        }
    }

    @Override
    public long byteSize() {
        long bytes = 0;
        for (int s = 0; s < keys.length; s++) {
            bytes += keys[s].length + (long) values[s].length
                    + (long) Short.BYTES * (keyScales[s].length + valueScales[s].length);
        }
        return bytes;
    }
}
