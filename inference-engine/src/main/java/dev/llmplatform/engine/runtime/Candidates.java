package dev.llmplatform.engine.runtime;

import java.util.Arrays;

/**
 * The tokens still in play at one sampling step with their adjusted logits. Buffers are sized to the
 * vocabulary once and reused for every step.
 */
public final class Candidates {
    final int[] ids;
    final float[] logits;
    private final long[] sortKeys;
    int size;
    boolean sorted;

    Candidates(int vocabSize) {
        ids = new int[vocabSize];
        logits = new float[vocabSize];
        sortKeys = new long[vocabSize];
    }

    public int size() {
        return size;
    }

    public int id(int i) {
        return ids[i];
    }

    public float logit(int i) {
        return logits[i];
    }

    /** Takes every token of {@code adjusted} whose logit is not −∞. */
    void fill(float[] adjusted) {
        int n = 0;
        for (int id = 0; id < adjusted.length; id++) {
            float l = adjusted[id];
            if (l != Float.NEGATIVE_INFINITY) {
                ids[n] = id;
                logits[n] = l;
                n++;
            }
        }
        size = n;
        sorted = false;
    }

    /** Orders candidates by logit, highest first (ties: lower id first). */
    void sortDescending() {
        if (sorted) {
            return;
        }
        for (int i = 0; i < size; i++) {
            sortKeys[i] = key(logits[i], ids[i]);
        }
        Arrays.sort(sortKeys, 0, size);
        unpackDescending(size);
    }

    /**
     * Keeps the {@code k} best candidates, sorted. A bounded min-heap selects them in O(n log k), so a
     * 150k vocabulary is not fully sorted for top-k 40.
     */
    void keepTop(int k) {
        if (k >= size) {
            sortDescending();
            return;
        }
        int heap = 0;
        for (int i = 0; i < size; i++) {
            long key = key(logits[i], ids[i]);
            if (heap < k) {
                siftUp(heap++, key);
            } else if (key > sortKeys[0]) {
                siftDown(key, k);
            }
        }
        Arrays.sort(sortKeys, 0, k);
        unpackDescending(k);
    }

    /** Better candidates have larger keys: by logit, then by lower id. */
    private static long key(float logit, int id) {
        return ((long) orderable(logit) << 32) | (Integer.MAX_VALUE - id);
    }

    private void unpackDescending(int n) {
        for (int i = 0; i < n; i++) {
            long key = sortKeys[n - 1 - i];
            ids[i] = Integer.MAX_VALUE - (int) (key & 0xffffffffL);
            logits[i] = fromOrderable((int) (key >> 32));
        }
        size = n;
        sorted = true;
    }

    private void siftUp(int pos, long key) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (sortKeys[parent] <= key) {
                break;
            }
            sortKeys[pos] = sortKeys[parent];
            pos = parent;
        }
        sortKeys[pos] = key;
    }

    /** Replaces the heap's minimum with {@code key} and restores the heap of {@code n} keys. */
    private void siftDown(long key, int n) {
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && sortKeys[child + 1] < sortKeys[child]) {
                child++;
            }
            if (sortKeys[child] >= key) {
                break;
            }
            sortKeys[pos] = sortKeys[child];
            pos = child;
        }
        sortKeys[pos] = key;
    }

    void truncate(int n) {
        size = Math.min(size, n);
    }

    float maxLogit() {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, logits[i]);
        }
        return max;
    }

    private static int orderable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits < 0 ? bits ^ 0x7fffffff : bits;
    }

    private static float fromOrderable(int o) {
        return Float.intBitsToFloat(o < 0 ? o ^ 0x7fffffff : o);
    }
}
