package dev.llmplatform.engine.model;

import java.util.Arrays;

/**
 * Keys and values as IEEE half precision, 2 bytes per value, widened to float in registers as attention
 * reads them ({@link KvMath#dotF16}, {@link KvMath#axpyF16}).
 */
final class F16KvCache extends KvCache {
    private final short[][] keys;
    private final short[][] values;

    F16KvCache(int layers, int capacity, int kvHeads, int headDimK, int headDimV) {
        super(layers, capacity, kvHeads, headDimK, headDimV);
        keys = new short[layers * kvHeads][reserved() * headDimK];
        values = new short[layers * kvHeads][reserved() * headDimV];
    }

    @Override
    public KvType type() {
        return KvType.F16;
    }

    @Override
    void grow(int positions) {
        for (int s = 0; s < keys.length; s++) {
            keys[s] = Arrays.copyOf(keys[s], positions * headDimK);
            values[s] = Arrays.copyOf(values[s], positions * headDimV);
        }
    }

    @Override
    public void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        for (int h = 0; h < kvHeads; h++) {
            encode(k, kOff + h * headDimK, keys[slot(layer, h)], pos * headDimK, headDimK);
            encode(v, vOff + h * headDimV, values[slot(layer, h)], pos * headDimV, headDimV);
        }
    }

    private static void encode(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.floatToFloat16(src[srcOff + i]);
        }
    }

    @Override
    public void keyScores(int layer, int kvHead, int from, int to, float[] q, int qOff, float[] scores) {
        short[] k = keys[slot(layer, kvHead)];
        for (int t = from; t < to; t++) {
            scores[t - from] = KvMath.dotF16(q, qOff, k, t * headDimK, headDimK);
        }
    }

    @Override
    public void addValues(int layer, int kvHead, int from, int to, float[] weights, float[] out, int outOff) {
        short[] v = values[slot(layer, kvHead)];
        for (int t = from; t < to; t++) {
            KvMath.axpyF16(weights[t - from], v, t * headDimV, out, outOff, headDimV);
        }
    }

    @Override
    public void readKeys(int layer, int kvHead, int from, int to, float[] out, int outOff) {
        toFloats(keys[slot(layer, kvHead)], from * headDimK, (to - from) * headDimK, out, outOff);
    }

    @Override
    public void readValues(int layer, int kvHead, int from, int to, float[] out, int outOff) {
        toFloats(values[slot(layer, kvHead)], from * headDimV, (to - from) * headDimV, out, outOff);
    }

    private static void toFloats(short[] halves, int at, int n, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Float.float16ToFloat(halves[at + i]);
        }
    }

    @Override
    public long byteSize() {
        long shorts = 0;
        for (int s = 0; s < keys.length; s++) {
            shorts += keys[s].length + (long) values[s].length;
        }
        return shorts * Short.BYTES;
    }
}
