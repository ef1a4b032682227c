package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.PanelKernel;
import dev.llmplatform.engine.tensor.Parallel;
import java.util.Arrays;

/**
 * Causal attention for a prompt: a batch whose rows are consecutive positions of one sequence. Every
 * query head of a KV group then meets the same keys, so attention becomes two GEMMs on the engine's
 * microkernel ({@link PanelKernel}) per chunk of keys — scores = Q·Kᵀ, then output += weights·V — with a
 * running (online) softmax across chunks, as in the per-position {@link Transformer.AttentionTask}.
 *
 * <p>Why: per (query, key) pair the per-position path converts the key and value from the cache's type,
 * reduces a dot product across lanes and takes an exponential; for a 512-token prompt that made attention
 * an eighth of the prompt's time for under 2 % of its arithmetic. Here each key chunk is converted once
 * per work item and packed into panels, the dot products are FMAs against broadcast query values, and
 * the exponentials are vector ones.
 *
 * <p>Work item: one KV head × {@link #BLOCK} positions, i.e. group × BLOCK query rows. Its keys are
 * those up to its last position (from the first position's window start when the layer has one);
 * each row masks the keys after its own position (and before its window) to −∞. Scratch is per thread
 * and grows to the largest shape seen. Reused per {@link ForwardBuffers}, like the per-position task.
 */
final class PromptAttention implements Parallel.RangeBody {
    /** Batches at least this long that are one sequence's consecutive positions take this path. */
    static final int MIN_ROWS = Integer.getInteger("llmp.promptAttention.minRows", 16);
    /** Positions per work item. */
    private static final int BLOCK = 32;
    /** Keys per GEMM pass (a multiple of any panel width): bounds the scratch for long contexts. */
    private static final int KEY_CHUNK = 256;
    private static final int NR = PanelKernel.NR;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's buffers: keys row-major and as panels, values as panels, scores, running max and sum. */
    private static final class Scratch {
        float[] rows = new float[0];
        float[] keyPanels = new float[0];
        float[] valuePanels = new float[0];
        float[] scores = new float[0];
        float[] max = new float[0];
        float[] sum = new float[0];

        void ensure(int headDimK, int headDimV, int queryRows) {
            int valueWidth = Parallel.ceilDiv(headDimV, NR) * NR;
            rows = grown(rows, KEY_CHUNK * Math.max(headDimK, headDimV));
            keyPanels = grown(keyPanels, KEY_CHUNK * headDimK);
            valuePanels = grown(valuePanels, KEY_CHUNK * valueWidth);
            scores = grown(scores, queryRows * KEY_CHUNK);
            max = grown(max, queryRows);
            sum = grown(sum, queryRows);
        }

        private static float[] grown(float[] a, int length) {
            return a.length >= length ? a : new float[length];
        }
    }

    private final ForwardBuffers buf;
    private ModelConfig config;
    private float scale;
    private int layer;
    private int window;
    private int rows;

    PromptAttention(ForwardBuffers buf) {
        this.buf = buf;
    }

    /** True when the batch's {@code n} rows are consecutive positions of one cache and long enough. */
    static boolean applies(ForwardBuffers buf, int n) {
        if (n < MIN_ROWS) {
            return false;
        }
        for (int b = 1; b < n; b++) {
            if (buf.rowCache[b] != buf.rowCache[0] || buf.rowPos[b] != buf.rowPos[0] + b) {
                return false;
            }
        }
        return true;
    }

    /** Work items for a batch of {@code n} rows: KV heads × position blocks. */
    static int items(ModelConfig config, int n) {
        return config.kvHeads() * Parallel.ceilDiv(n, BLOCK);
    }

    void set(ModelConfig config, float scale, int layer, int window, int rows) {
        this.config = config;
        this.scale = scale;
        this.layer = layer;
        this.window = window;
        this.rows = rows;
    }

    @Override
    public void run(int from, int to) {
        int blocks = Parallel.ceilDiv(rows, BLOCK);
        Scratch s = SCRATCH.get();
        s.ensure(config.headDimK(), config.headDimV(), config.groupSize() * BLOCK);
        for (int item = from; item < to; item++) {
            int b0 = (item % blocks) * BLOCK;
            attend(item / blocks, b0, Math.min(rows, b0 + BLOCK), s);
        }
    }

    /** Rows [b0, b1) of every query head of KV group {@code kvHead}. */
    private void attend(int kvHead, int b0, int b1, Scratch s) {
        KvCache cache = buf.rowCache[0];
        int pos0 = buf.rowPos[0];
        int count = b1 - b0;
        int group = config.groupSize();
        int queryRows = group * count;
        int firstKey = window > 0 ? Math.max(0, pos0 + b0 - window + 1) : 0;
        int endKey = pos0 + b1;
        Arrays.fill(s.max, 0, queryRows, Float.NEGATIVE_INFINITY);
        Arrays.fill(s.sum, 0, queryRows, 0f);
        for (int c0 = firstKey; c0 < endKey; c0 += KEY_CHUNK) {
            int c1 = Math.min(endKey, c0 + KEY_CHUNK);
            int len = c1 - c0;
            int width = Parallel.ceilDiv(len, NR) * NR;
            packKeys(cache, kvHead, c0, c1, s);
            packValues(cache, kvHead, c0, c1, s);
            for (int g = 0; g < group; g++) {
                scores(kvHead * group + g, b0, count, len, width, s.keyPanels, s.scores, g * count * width);
            }
            for (int r = 0; r < queryRows; r++) {
                int b = b0 + r % count;
                int head = kvHead * group + r / count;
                weigh(s, r, r * width, pos0 + b, c0, len, width, b * config.heads() * config.headDimV()
                        + head * config.headDimV(), c0 == firstKey);
            }
            for (int g = 0; g < group; g++) {
                addValues(kvHead * group + g, b0, count, len, width, s.valuePanels, s.scores, g * count * width,
                        c0 == firstKey);
            }
        }
        for (int r = 0; r < queryRows; r++) {
            int b = b0 + r % count;
            int head = kvHead * group + r / count;
            VectorMath.scale(buf.att, b * config.heads() * config.headDimV() + head * config.headDimV(),
                    config.headDimV(), 1f / s.sum[r]);
        }
    }

    /** Keys [c0, c1) as panels of NR keys, {@code [d][NR]} each, zero past the last key. */
    private void packKeys(KvCache cache, int kvHead, int c0, int c1, Scratch s) {
        int hd = config.headDimK();
        int len = c1 - c0;
        cache.readKeys(layer, kvHead, c0, c1, s.rows, 0);
        for (int p = 0; p * NR < len; p++) {
            int base = p * hd * NR;
            for (int j = 0; j < NR; j++) {
                int t = p * NR + j;
                if (t < len) {
                    for (int d = 0; d < hd; d++) {
                        s.keyPanels[base + d * NR + j] = s.rows[t * hd + d];
                    }
                } else {
                    for (int d = 0; d < hd; d++) {
                        s.keyPanels[base + d * NR + j] = 0;
                    }
                }
            }
        }
    }

    /** Values [c0, c1) as panels of NR value dimensions, {@code [t][NR]} each, zero past the head dimension. */
    private void packValues(KvCache cache, int kvHead, int c0, int c1, Scratch s) {
        int hd = config.headDimV();
        int len = c1 - c0;
        cache.readValues(layer, kvHead, c0, c1, s.rows, 0);
        for (int p = 0; p * NR < hd; p++) {
            int base = p * len * NR;
            int w = Math.min(NR, hd - p * NR);
            for (int t = 0; t < len; t++) {
                System.arraycopy(s.rows, t * hd + p * NR, s.valuePanels, base + t * NR, w);
                Arrays.fill(s.valuePanels, base + t * NR + w, base + (t + 1) * NR, 0f);
            }
        }
    }

    /** Raw scores of rows [b0, b0 + count) of {@code head} against the chunk's keys, rows {@code width} apart. */
    private void scores(int head, int b0, int count, int len, int width, float[] keyPanels, float[] scores, int off) {
        int hd = config.headDimK();
        int qDim = config.queryDim();
        for (int p = 0; p * NR < len; p++) {
            PanelKernel.multiply(keyPanels, p * hd * NR, hd, buf.q, b0 * qDim + head * hd, qDim, count,
                    scores, off + p * NR, width, Math.min(NR, len - p * NR));
        }
    }

    /**
     * Row {@code r}'s scores → softmax weights under its running max (query at {@code position}, chunk from
     * key {@code c0}): keys after the position or before its window weigh 0; when the max grows, the output
     * accumulated so far and the sum are rescaled.
     */
    private void weigh(Scratch s, int r, int off, int position, int c0, int len, int width, int attOff, boolean first) {
        float[] scores = s.scores;
        int visible = Math.min(len, position + 1 - c0);
        int hidden = window > 0 ? Math.max(0, position - window + 1 - c0) : 0;
        if (visible <= hidden) {
            Arrays.fill(scores, off, off + width, 0f);
            return;
        }
        VectorMath.scaleScores(scores, off, visible, width, scale, config.attnSoftcap());
        Arrays.fill(scores, off, off + hidden, Float.NEGATIVE_INFINITY);
        float chunkMax = VectorMath.max(scores, off, width);
        if (chunkMax > s.max[r]) {
            float rescale = (float) Math.exp(s.max[r] - chunkMax);
            if (!first) {
                VectorMath.scale(buf.att, attOff, config.headDimV(), rescale);
            }
            s.sum[r] *= rescale;
            s.max[r] = chunkMax;
        }
        s.sum[r] += VectorMath.expShifted(scores, off, width, s.max[r]);
    }

    /** Output rows of {@code head} += weights · values (the first chunk writes them). */
    private void addValues(int head, int b0, int count, int len, int width, float[] valuePanels, float[] weights,
                           int off, boolean first) {
        int hd = config.headDimV();
        int stride = config.heads() * hd;
        int out = b0 * stride + head * hd;
        for (int p = 0; p * NR < hd; p++) {
            int w = Math.min(NR, hd - p * NR);
            if (first) {
                PanelKernel.multiply(valuePanels, p * len * NR, len, weights, off, width, count,
                        buf.att, out + p * NR, stride, w);
            } else {
                PanelKernel.multiply(valuePanels, p * len * NR, len, weights, off, width, count,
                        buf.att, out + p * NR, stride, buf.att, out + p * NR, stride, w);
            }
        }
    }
}
