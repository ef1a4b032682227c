package dev.llmplatform.engine.model;

import java.util.Arrays;

/** Keys and values as F32: exact, 4 bytes per value. */
final class F32KvCache extends KvCache {
    private final float[][] keys;
    private final float[][] values;

    F32KvCache(int layers, int capacity, int kvHeads, int headDimK, int headDimV) {
        super(layers, capacity, kvHeads, headDimK, headDimV);
        keys = new float[layers * kvHeads][reserved() * headDimK];
        values = new float[layers * kvHeads][reserved() * headDimV];
    }

    @Override
    public KvType type() {
        return KvType.F32;
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
            System.arraycopy(k, kOff + h * headDimK, keys[slot(layer, h)], pos * headDimK, headDimK);
            System.arraycopy(v, vOff + h * headDimV, values[slot(layer, h)], pos * headDimV, headDimV);
        }
    }

    @Override
    public void keyScores(int layer, int kvHead, int from, int to, float[] q, int qOff, float[] scores) {
        float[] k = keys[slot(layer, kvHead)];
        for (int t = from; t < to; t++) {
            scores[t - from] = KvMath.dot(q, qOff, k, t * headDimK, headDimK);
        }
    }

    @Override
    public void addValues(int layer, int kvHead, int from, int to, float[] weights, float[] out, int outOff) {
        float[] v = values[slot(layer, kvHead)];
        for (int t = from; t < to; t++) {
            KvMath.axpy(weights[t - from], v, t * headDimV, out, outOff, headDimV);
        }
    }

    @Override
    public void readKeys(int layer, int kvHead, int from, int to, float[] out, int outOff) {
        System.arraycopy(keys[slot(layer, kvHead)], from * headDimK, out, outOff, (to - from) * headDimK);
    }

    @Override
    public void readValues(int layer, int kvHead, int from, int to, float[] out, int outOff) {
        System.arraycopy(values[slot(layer, kvHead)], from * headDimV, out, outOff, (to - from) * headDimV);
    }

    @Override
    public long byteSize() {
        long floats = 0;
        for (int s = 0; s < keys.length; s++) {
            floats += keys[s].length + (long) values[s].length;
        }
        return floats * Float.BYTES;
    }
}
