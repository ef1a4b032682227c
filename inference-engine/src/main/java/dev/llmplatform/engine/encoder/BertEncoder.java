package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The BERT encoder's forward pass: token + position + token-type embeddings and LayerNorm, then
 * post-LayerNorm blocks of bidirectional multi-head attention and a GELU feed-forward.
 *
 * <p>A batch of sequences of different lengths is processed <em>ragged</em>: the tokens of all
 * sequences are laid end to end (no padding rows), the projections run as one GEMM over all tokens,
 * and attention runs per sequence over exactly its own tokens. That is what a padded batch with an
 * attention mask computes for the real tokens (masked keys get zero weight), without spending work on
 * padding.
 */
public final class BertEncoder {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Query rows per attention task: the unit of parallel work in attention. */
    private static final int QUERY_BLOCK = 16;

    private final BertWeights weights;
    private final BertConfig config;

    public BertEncoder(BertWeights weights) {
        this.weights = weights;
        this.config = weights.config();
    }

    public BertConfig config() {
        return config;
    }

    public BertWeights weights() {
        return weights;
    }

    /**
     * The last hidden states of a batch, all sequences' tokens end to end.
     *
     * @param sequences token ids per sequence (each non-empty, at most {@code maxPositions} long);
     *                  token type 0 throughout (single-segment input)
     */
    public HiddenStates encode(int[][] sequences) {
        int h = config.hiddenSize();
        int[] offsets = new int[sequences.length + 1];
        for (int s = 0; s < sequences.length; s++) {
            int len = sequences[s].length;
            if (len == 0 || len > config.maxPositions()) {
                throw new IllegalArgumentException("sequence " + s + " has " + len + " tokens; 1.."
                        + config.maxPositions() + " allowed");
            }
            offsets[s + 1] = offsets[s] + len;
        }
        int tokens = offsets[sequences.length];
        float[] x = new float[tokens * h];
        embed(sequences, offsets, x);

        float[] qkv = new float[tokens * 3 * h];
        // Keys transposed per head (head·headDim + d rows of all tokens) so that attention scores for one
        // query are vector FMAs along the keys. Rows are padded so whole vectors can be read past a
        // sequence's end; those lanes are ignored.
        int ktStride = tokens + V;
        float[] keysT = new float[h * ktStride];
        float[] context = new float[tokens * h];
        float[] projected = new float[tokens * h];
        float[] ffn = new float[tokens * config.intermediateSize()];
        for (BertLayer layer : weights.layers()) {
            F32Gemm.multiply(x, tokens, layer.qkv(), F32Gemm.Activation.NONE, qkv);
            transposeKeys(qkv, tokens, keysT, ktStride);
            attention(qkv, keysT, ktStride, offsets, context);
            F32Gemm.multiply(context, tokens, layer.attnOutput(), F32Gemm.Activation.NONE, projected);
            addAndNormalize(projected, x, tokens, layer.attnNorm());
            F32Gemm.multiply(x, tokens, layer.up(), F32Gemm.Activation.GELU, ffn);
            F32Gemm.multiply(ffn, tokens, layer.down(), F32Gemm.Activation.NONE, projected);
            addAndNormalize(projected, x, tokens, layer.outputNorm());
        }
        return new HiddenStates(x, offsets, h);
    }

    private void embed(int[][] sequences, int[] offsets, float[] x) {
        int h = config.hiddenSize();
        float[] tok = weights.tokenEmbeddings();
        float[] pos = weights.positionEmbeddings();
        float[] type = weights.tokenTypeEmbeddings();
        for (int s = 0; s < sequences.length; s++) {
            for (int p = 0; p < sequences[s].length; p++) {
                int id = sequences[s][p];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + config.vocabSize());
                }
                int row = (offsets[s] + p) * h;
                for (int i = 0; i < h; i++) {
                    x[row + i] = tok[id * h + i] + type[i] + pos[p * h + i];
                }
            }
        }
        int tokens = offsets[sequences.length];
        Parallel.forRange(tokens, (start, end) -> {
            for (int t = start; t < end; t++) {
                layerNorm(x, t * h, h, weights.embeddingNorm(), config.layerNormEps());
            }
        });
    }

    private void transposeKeys(float[] qkv, int tokens, float[] keysT, int stride) {
        int h = config.hiddenSize();
        Parallel.forRange(h, (start, end) -> {
            for (int c = start; c < end; c++) {
                int src = h + c;
                int dst = c * stride;
                for (int t = 0; t < tokens; t++) {
                    keysT[dst + t] = qkv[t * 3 * h + src];
                }
            }
        });
    }

    private void attention(float[] qkv, float[] keysT, int ktStride, int[] offsets, float[] context) {
        int heads = config.heads();
        int sequences = offsets.length - 1;
        // Tasks: (sequence, block of query rows, head), numbered through a prefix sum of blocks.
        int[] blockStart = new int[sequences + 1];
        for (int s = 0; s < sequences; s++) {
            int len = offsets[s + 1] - offsets[s];
            blockStart[s + 1] = blockStart[s] + (len + QUERY_BLOCK - 1) / QUERY_BLOCK;
        }
        int tasks = blockStart[sequences] * heads;
        Parallel.forRange(tasks, (start, end) -> {
            float[] scores = new float[0];
            for (int task = start; task < end; task++) {
                int head = task % heads;
                int block = task / heads;
                int s = sequenceOf(blockStart, block);
                int offset = offsets[s];
                int len = offsets[s + 1] - offset;
                int padded = (len + V - 1) / V * V;
                if (scores.length < padded) {
                    scores = new float[padded];
                }
                int first = (block - blockStart[s]) * QUERY_BLOCK;
                int last = Math.min(len, first + QUERY_BLOCK);
                for (int i = first; i < last; i++) {
                    attendOne(qkv, keysT, ktStride, offset, len, padded, offset + i, head, scores, context);
                }
            }
        });
    }

    private static int sequenceOf(int[] blockStart, int block) {
        int lo = 0;
        int hi = blockStart.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (blockStart[mid] <= block) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** One query row of one head: scaled dot-product scores over the sequence, softmax, weighted values. */
    private void attendOne(float[] qkv, float[] keysT, int ktStride, int offset, int len, int padded,
                           int query, int head, float[] scores, float[] context) {
        int h = config.hiddenSize();
        int hd = config.headDim();
        float scale = (float) (1.0 / Math.sqrt(hd));
        int qOff = query * 3 * h + head * hd;
        int ktBase = head * hd * ktStride + offset;
        for (int j = 0; j < padded; j += V) {
            FloatVector acc = FloatVector.zero(S);
            int k = ktBase + j;
            for (int d = 0; d < hd; d++, k += ktStride) {
                acc = FloatVector.fromArray(S, keysT, k).fma(FloatVector.broadcast(S, qkv[qOff + d]), acc);
            }
            acc.mul(scale).intoArray(scores, j);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, scores[j]);
        }
        // Lane sums are added in a fixed order: reduceLanes may associate differently once JIT-compiled,
        // and the same input must always give the same embedding.
        FloatVector sums = FloatVector.zero(S);
        int j = 0;
        for (; j + V <= len; j += V) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, scores, j).sub(max));
            e.intoArray(scores, j);
            sums = sums.add(e);
        }
        float[] lanes = new float[V];
        sums.intoArray(lanes, 0);
        float sum = 0;
        for (float lane : lanes) {
            sum += lane;
        }
        for (; j < len; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        int vBase = offset * 3 * h + 2 * h + head * hd;
        int out = query * h + head * hd;
        int d = 0;
        for (; d + V <= hd; d += V) {
            FloatVector acc = FloatVector.zero(S);
            int v = vBase + d;
            for (int t = 0; t < len; t++, v += 3 * h) {
                acc = FloatVector.fromArray(S, qkv, v).fma(FloatVector.broadcast(S, scores[t]), acc);
            }
            acc.mul(inv).intoArray(context, out + d);
        }
        for (; d < hd; d++) {
            float acc = 0;
            int v = vBase + d;
            for (int t = 0; t < len; t++, v += 3 * h) {
                acc += scores[t] * qkv[v];
            }
            context[out + d] = acc * inv;
        }
    }

    /** {@code x = LayerNorm(x + delta)} row by row: the residual connection of a post-LN block. */
    private void addAndNormalize(float[] delta, float[] x, int tokens, LayerNormWeights norm) {
        int h = config.hiddenSize();
        float eps = config.layerNormEps();
        Parallel.forRange(tokens, (start, end) -> {
            for (int t = start; t < end; t++) {
                int row = t * h;
                int i = 0;
                for (; i + V <= h; i += V) {
                    FloatVector.fromArray(S, x, row + i).add(FloatVector.fromArray(S, delta, row + i)).intoArray(x, row + i);
                }
                for (; i < h; i++) {
                    x[row + i] += delta[row + i];
                }
                layerNorm(x, row, h, norm, eps);
            }
        });
    }

    static void layerNorm(float[] x, int off, int n, LayerNormWeights norm, float eps) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        float var = 0;
        for (int i = 0; i < n; i++) {
            float d = x[off + i] - mean;
            var += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(var / n + eps));
        float[] g = norm.weight();
        float[] b = norm.bias();
        for (int i = 0; i < n; i++) {
            x[off + i] = (x[off + i] - mean) * inv * g[i] + b[i];
        }
    }

    /**
     * Hidden states of a ragged batch.
     *
     * @param values  {@code tokens × hiddenSize}, sequence {@code s} in rows {@code [offsets[s], offsets[s+1])}
     */
    public record HiddenStates(float[] values, int[] offsets, int hiddenSize) {
        public int sequences() {
            return offsets.length - 1;
        }

        public int length(int sequence) {
            return offsets[sequence + 1] - offsets[sequence];
        }
    }
}
