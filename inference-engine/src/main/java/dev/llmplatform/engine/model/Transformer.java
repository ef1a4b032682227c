package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.util.List;

/**
 * A decoder-only transformer: token embedding, a stack of {@link Layer}s, final norm and output
 * projection. Immutable and shared by all sequences; per-sequence state lives in {@link KvCache} and
 * {@link ForwardBuffers}. Every family is this one forward pass with different parts plugged in by its
 * {@link Architecture}.
 */
public final class Transformer {
    private final ModelConfig config;
    private final WeightMatrix embeddings;
    private final float embedScale;
    private final List<Layer> layers;
    private final RmsNorm outputNorm;
    private final WeightMatrix output;
    private final float attnScale;
    /** The pool attention runs on; the same the weight matrices multiply on. */
    private final ComputeResources resources;

    public Transformer(ModelConfig config, WeightMatrix embeddings, float embedScale, List<Layer> layers,
                       RmsNorm outputNorm, WeightMatrix output, float attnScale, ComputeResources resources) {
        if (layers.size() != config.layers()) {
            throw new IllegalArgumentException("expected " + config.layers() + " layers, got " + layers.size());
        }
        if (embeddings.cols() != config.dim() || output.cols() != config.dim()) {
            throw new IllegalArgumentException("embedding/output width does not match dim " + config.dim());
        }
        this.config = config;
        this.embeddings = embeddings;
        this.embedScale = embedScale;
        this.layers = List.copyOf(layers);
        this.outputNorm = outputNorm;
        this.output = output;
        this.attnScale = attnScale;
        this.resources = resources;
        prepareMatrices();
    }

    /** Lays out every matrix for the kernels now, at load time, instead of during the first request. */
    private void prepareMatrices() {
        matrices().forEach(WeightMatrix::prepare);
    }

    /** Every matrix the forward pass multiplies by: the layers' and the output projection. */
    public List<WeightMatrix> matrices() {
        List<WeightMatrix> all = new java.util.ArrayList<>();
        for (Layer layer : layers) {
            all.addAll(layer.qkv().matrices());
            all.add(layer.attnOutput());
            all.addAll(layer.ffn().matrices());
        }
        all.add(output);
        return all;
    }

    public ModelConfig config() {
        return config;
    }

    /** The worker pool and weight arena the forward pass runs with (owned by the loaded model). */
    public ComputeResources resources() {
        return resources;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Rows of the output projection: the number of logits per position. */
    public int vocabularySize() {
        return output.rows();
    }

    boolean hasFusedQkv() {
        return layers.stream().anyMatch(l -> l.qkv() instanceof QkvProjection.Fused);
    }

    int maxFfnScratch() {
        return layers.stream().mapToInt(l -> l.ffn().scratchPerPosition()).max().orElse(0);
    }

    int maxFfnHidden() {
        return layers.stream().mapToInt(l -> l.ffn().hiddenDim()).max().orElse(0);
    }

    /** A cache of {@link KvType#DEFAULT} for {@code contextLength} positions. */
    public KvCache newCache(int contextLength) {
        return newCache(contextLength, KvType.DEFAULT);
    }

    /** A cache of {@code type} for {@code contextLength} positions. */
    public KvCache newCache(int contextLength, KvType type) {
        return KvCache.create(type, config.layers(), contextLength, config.kvHeads(), config.headDimK(), config.headDimV());
    }

    /**
     * Runs {@code n ≤ buf.capacity()} tokens of one sequence at positions {@code pos0..pos0+n-1},
     * appending their keys and values to {@code cache} (which must already hold positions {@code 0..pos0-1}).
     *
     * @param logits receives the logits of the last position ({@code allPositions} false) or of every
     *               position, {@code vocabularySize()} floats each ({@code allPositions} true)
     */
    public void forward(int[] tokens, int off, int n, int pos0, KvCache cache, ForwardBuffers buf,
                        float[] logits, boolean allPositions) {
        checkBatch(n, buf);
        if (pos0 + n > cache.capacity()) {
            throw new IllegalArgumentException("context full: " + (pos0 + n) + " positions, cache holds " + cache.capacity());
        }
        cache.reserve(pos0 + n);
        for (int b = 0; b < n; b++) {
            buf.rowCache[b] = cache;
            buf.rowPos[b] = pos0 + b;
        }
        run(tokens, off, n, buf, logits, allPositions);
    }

    /**
     * Runs one token for each of {@code n} distinct sequences in one pass (batched decoding): row
     * {@code b} is token {@code tokens[b]} at position {@code positions[b]} of {@code caches[b]}. The
     * weights are read once for all rows; each row attends only to its own cache.
     *
     * @param logits receives {@code vocabularySize()} logits per row
     */
    public void forwardRows(int[] tokens, KvCache[] caches, int[] positions, int n, ForwardBuffers buf, float[] logits) {
        checkBatch(n, buf);
        for (int b = 0; b < n; b++) {
            if (positions[b] >= caches[b].capacity()) {
                throw new IllegalArgumentException("context full: row " + b + " at position " + positions[b]);
            }
            for (int c = 0; c < b; c++) {
                if (caches[c] == caches[b]) {
                    throw new IllegalArgumentException("rows " + c + " and " + b + " belong to the same sequence");
                }
            }
            caches[b].reserve(positions[b] + 1);
            buf.rowCache[b] = caches[b];
            buf.rowPos[b] = positions[b];
        }
        run(tokens, 0, n, buf, logits, true);
    }

    private static void checkBatch(int n, ForwardBuffers buf) {
        if (n < 1 || n > buf.capacity) {
            throw new IllegalArgumentException("batch of " + n + " tokens, buffers hold " + buf.capacity);
        }
    }

    private void run(int[] tokens, int off, int n, ForwardBuffers buf, float[] logits, boolean allPositions) {
        resources.checkOpen(); // a closed model says so, instead of failing somewhere inside on freed memory
        int dim = config.dim();
        float[] x = buf.x;
        for (int b = 0; b < n; b++) {
            int token = tokens[off + b];
            if (token < 0 || token >= embeddings.rows()) {
                throw new IllegalArgumentException("token id " + token + " outside the vocabulary of " + embeddings.rows());
            }
            embeddings.dequantizeRow(token, x, b * dim);
            if (embedScale != 1f) {
                for (int i = 0; i < dim; i++) {
                    x[b * dim + i] *= embedScale;
                }
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            runLayer(l, layers.get(l), n, buf);
        }
        if (allPositions) {
            for (int b = 0; b < n; b++) {
                outputNorm.apply(x, b * dim, buf.xn, b * dim);
            }
            output.matmul(buf.xn, n, logits);
            softcap(logits, n * output.rows(), config.finalSoftcap());
        } else {
            outputNorm.apply(x, (n - 1) * dim, buf.last, 0);
            output.matvec(buf.last, logits);
            softcap(logits, output.rows(), config.finalSoftcap());
        }
        java.util.Arrays.fill(buf.rowCache, 0, n, null); // a shared buffer must not keep caches alive
    }

    private void runLayer(int index, Layer layer, int n, ForwardBuffers buf) {
        int dim = config.dim();
        float[] x = buf.x;
        for (int b = 0; b < n; b++) {
            layer.attnNorm().apply(x, b * dim, buf.xn, b * dim);
        }
        layer.qkv().project(buf.xn, n, buf);
        int hdK = config.headDimK();
        if (layer.qNorm() != null) {
            layer.qNorm().applyRows(buf.q, 0, n * config.heads());
        }
        if (layer.kNorm() != null) {
            layer.kNorm().applyRows(buf.k, 0, n * config.kvHeads());
        }
        int keyDim = config.keyDim();
        int valueDim = config.valueDim();
        for (int b = 0; b < n; b++) {
            int pos = buf.rowPos[b];
            Rope rope = layer.rope().forContext(buf.rowCache[b].capacity()); // rows may be different sequences
            rope.angles(pos, buf.cos, buf.sin);
            rope.rotate(buf.q, b * config.queryDim(), config.heads(), hdK, buf.cos, buf.sin);
            rope.rotate(buf.k, b * keyDim, config.kvHeads(), hdK, buf.cos, buf.sin);
            buf.rowCache[b].store(index, pos, buf.k, b * keyDim, buf.v, b * valueDim);
        }

        attend(index, layer.window(), n, buf);

        layer.attnOutput().matmul(buf.att, n, buf.out);
        if (layer.postAttnNorm() != null) {
            layer.postAttnNorm().applyRows(buf.out, 0, n);
        }
        addInPlace(x, buf.out, n * dim);

        for (int b = 0; b < n; b++) {
            layer.ffnNorm().apply(x, b * dim, buf.xn, b * dim);
        }
        layer.ffn().forward(buf.xn, n, buf.out, buf);
        if (layer.postFfnNorm() != null) {
            layer.postFfnNorm().applyRows(buf.out, 0, n);
        }
        addInPlace(x, buf.out, n * dim);
    }

    /** Multiply-adds a parallel attention chunk should at least do, so that tiny contexts stay on one thread. */
    private static final int ATTENTION_GRAIN_WORK = 1 << 15;

    /**
     * Causal (optionally windowed) softmax attention of each query head over its key/value group: a
     * prompt's rows (one sequence's consecutive positions) as GEMMs ({@link PromptAttention}), any other
     * batch parallel over (position, head) pairs.
     */
    private void attend(int layerIndex, int window, int n, ForwardBuffers buf) {
        if (PromptAttention.applies(buf, n)) {
            PromptAttention prompt = buf.promptAttention;
            prompt.set(config, attnScale, layerIndex, window, n);
            resources.parallel().forRange(PromptAttention.items(config, n), 1, prompt);
            return;
        }
        int items = n * config.heads();
        int span = buf.rowPos[n - 1] + 1;
        if (window > 0) {
            span = Math.min(span, window);
        }
        long work = (long) span * (config.headDimK() + config.headDimV());
        int grain = (int) Math.max(1, Math.min(items, ATTENTION_GRAIN_WORK / Math.max(1, work)));
        AttentionTask task = buf.attention;
        task.set(this, layerIndex, window);
        try {
            resources.parallel().forRange(items, grain, task);
        } finally {
            task.set(null, 0, 0);
        }
    }

    /** Positions whose scores are computed together before the softmax update and the value pass. */
    static final int ATTENTION_TILE = 64;

    /** Per-thread scratch of attention: the scores, then the weights, of one tile. */
    private static final ThreadLocal<float[]> TILE_SCORES = ThreadLocal.withInitial(() -> new float[ATTENTION_TILE]);

    /**
     * One attention pass over items [start, end), item = position·heads + head. A tiled online softmax:
     * the scores of a tile of positions are computed, the running max and sum updated (the accumulator
     * rescaled when the max grows), then the tile's values added with their weights, so no score row of
     * the whole context (let alone a T×T matrix) is ever held. Reused per {@link ForwardBuffers} so that
     * a decode step allocates nothing.
     */
    static final class AttentionTask implements Parallel.RangeBody {
        private final ForwardBuffers buf;
        private Transformer model;
        private int layerIndex;
        private int window;

        AttentionTask(ForwardBuffers buf) {
            this.buf = buf;
        }

        void set(Transformer model, int layerIndex, int window) {
            this.model = model;
            this.layerIndex = layerIndex;
            this.window = window;
        }

        @Override
        public void run(int from, int to) {
            ModelConfig c = model.config;
            int heads = c.heads();
            int hdK = c.headDimK();
            int hdV = c.headDimV();
            int group = c.groupSize();
            int qDim = c.queryDim();
            float cap = c.attnSoftcap();
            float scale = model.attnScale;
            float[] q = buf.q;
            float[] att = buf.att;
            float[] scores = TILE_SCORES.get();
            for (int item = from; item < to; item++) {
                int b = item / heads;
                int h = item % heads;
                int kvHead = h / group;
                int p = buf.rowPos[b];
                KvCache cache = buf.rowCache[b];
                int start = window > 0 ? Math.max(0, p - window + 1) : 0;
                int qOff = b * qDim + h * hdK;
                int aOff = b * heads * hdV + h * hdV;
                java.util.Arrays.fill(att, aOff, aOff + hdV, 0f);
                float max = Float.NEGATIVE_INFINITY;
                float sum = 0;
                for (int t0 = start; t0 <= p; t0 += ATTENTION_TILE) {
                    int t1 = Math.min(p + 1, t0 + ATTENTION_TILE);
                    int n = t1 - t0;
                    cache.keyScores(layerIndex, kvHead, t0, t1, q, qOff, scores);
                    int width = VectorMath.paddedLength(n);
                    VectorMath.scaleScores(scores, 0, n, width, scale, cap);
                    float tileMax = VectorMath.max(scores, 0, width);
                    if (tileMax > max) {
                        float rescale = (float) Math.exp(max - tileMax);
                        VectorMath.scale(att, aOff, hdV, rescale);
                        sum *= rescale;
                        max = tileMax;
                    }
                    sum += VectorMath.expShifted(scores, 0, width, max);
                    cache.addValues(layerIndex, kvHead, t0, t1, scores, att, aOff);
                }
                VectorMath.scale(att, aOff, hdV, 1f / sum);
            }
        }
    }

    private static void addInPlace(float[] x, float[] y, int count) {
        for (int i = 0; i < count; i++) {
            x[i] += y[i];
        }
    }

    private static void softcap(float[] v, int count, float cap) {
        if (cap <= 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            v[i] = (float) (cap * Math.tanh(v[i] / cap));
        }
    }
}
