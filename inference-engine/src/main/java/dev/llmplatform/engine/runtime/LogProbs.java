package dev.llmplatform.engine.runtime;

import java.util.ArrayList;
import java.util.List;

/** Log-softmax and top-N selection over a logits vector. */
public final class LogProbs {
    private LogProbs() {
    }

    /** log Σ exp(logits[off..off+n)), computed stably in double. */
    public static double logSumExp(float[] logits, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[off + i]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[off + i] - max);
        }
        return max + Math.log(sum);
    }

    /** The log-probability of {@code id} under a plain softmax of the logits. */
    public static float logprob(float[] logits, int off, int n, int id) {
        return (float) (logits[off + id] - logSumExp(logits, off, n));
    }

    /** The {@code topN} most likely ids, most likely first, with their log-probabilities. */
    public static List<TokenLogprob> top(float[] logits, int off, int n, int topN) {
        double lse = logSumExp(logits, off, n);
        int k = Math.min(topN, n);
        int[] ids = new int[k];
        float[] vals = new float[k];
        int size = 0;
        for (int i = 0; i < n; i++) {
            float v = logits[off + i];
            if (size == k && v <= vals[k - 1]) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && vals[pos - 1] < v) {
                vals[pos] = vals[pos - 1];
                ids[pos] = ids[pos - 1];
                pos--;
            }
            vals[pos] = v;
            ids[pos] = i;
        }
        List<TokenLogprob> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new TokenLogprob(ids[i], (float) (vals[i] - lse)));
        }
        return out;
    }
}
