package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.PanelKernel;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bidirectional multi-head scaled dot-product attention over a ragged batch: each sequence attends to
 * exactly its own tokens (what a padding mask achieves in a padded batch).
 *
 * <p>Input is the fused projection {@code qkv} ({@code tokens × 3H}: query, key, value per row). Keys are
 * first transposed per head ({@code keysT[c][t]}). Both products of a block of queries are then GEMMs on
 * the engine's shared microkernel ({@link PanelKernel}), read in place: the scores {@code Q·Kᵀ} over
 * panels of the transposed keys (k = the head's dimensions), and the context {@code P·V} over panels of
 * the values (k = the keys). Between them each score row becomes {@code exp(scale·(s − max))}; the
 * normalisation by the row's sum is applied to its context, {@code headDim} values instead of one per
 * key. Work is split into (sequence, block of queries, head) tasks.
 *
 * <p>Panels are read {@link PanelKernel#NR} columns wide: the transposed keys' rows are padded by that
 * much ({@link #keysStride}), and {@code qkv} needs {@link #QKV_SLACK} floats past its last row for a
 * head dimension that is not a multiple of it.
 */
final class SelfAttention {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    private static final int NR = PanelKernel.NR;
    /** Queries per task: four blocks of the kernel's six. */
    private static final int QUERY_BLOCK = 4 * PanelKernel.MR;
    private static final int TOKEN_BLOCK = 64;
    /** Floats {@code qkv} must have past {@code tokens × 3H}: the last value panel is read NR columns wide. */
    static final int QKV_SLACK = NR;

    private final int hidden;
    private final int heads;
    private final int headDim;
    private final float scale;
    private final Parallel parallel;

    SelfAttention(BertConfig config, Parallel parallel) {
        this.parallel = parallel;
        this.hidden = config.hiddenSize();
        this.heads = config.heads();
        this.headDim = config.headDim();
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /** Row stride of the transposed keys for {@code tokens} tokens: padded so that every panel's columns exist. */
    static int keysStride(int tokens) {
        return tokens + NR;
    }

    /** Writes {@code context} ({@code tokens × H}): per head, the attention-weighted sum of values. */
    void run(float[] qkv, float[] keysT, int[] offsets, float[] context) {
        int tokens = offsets[offsets.length - 1];
        int stride = keysStride(tokens);
        transposeKeys(qkv, tokens, keysT, stride);
        int sequences = offsets.length - 1;
        // Tasks are numbered through a prefix sum of query blocks per sequence.
        int[] blockStart = new int[sequences + 1];
        int maxLen = 0;
        for (int s = 0; s < sequences; s++) {
            int len = offsets[s + 1] - offsets[s];
            maxLen = Math.max(maxLen, len);
            blockStart[s + 1] = blockStart[s] + (len + QUERY_BLOCK - 1) / QUERY_BLOCK;
        }
        int padded = (maxLen + V - 1) / V * V;
        parallel.forRange(blockStart[sequences] * heads, (start, end) -> {
            float[] scores = new float[QUERY_BLOCK * padded];
            float[] inverseSums = new float[QUERY_BLOCK];
            float[] laneSums = new float[V];
            for (int task = start; task < end; task++) {
                // A sequence's tasks are numbered head-major, so that consecutive tasks share a head's keys
                // and values while they are in cache.
                int s = sequenceOf(blockStart, task / heads);
                int blocks = blockStart[s + 1] - blockStart[s];
                int local = task - blockStart[s] * heads;
                int head = local / blocks;
                int offset = offsets[s];
                int len = offsets[s + 1] - offset;
                int first = (local % blocks) * QUERY_BLOCK;
                int count = Math.min(len - first, QUERY_BLOCK);
                attend(qkv, keysT, stride, offset, len, offset + first, count, head, scores, padded, inverseSums, laneSums, context);
            }
        });
    }

    /** keysT[c·stride + t] = key c of token t, in token blocks so that reads and writes stay in cache. */
    private void transposeKeys(float[] qkv, int tokens, float[] keysT, int stride) {
        int blocks = (tokens + TOKEN_BLOCK - 1) / TOKEN_BLOCK;
        parallel.forRange(blocks, (start, end) -> {
            for (int b = start; b < end; b++) {
                int t0 = b * TOKEN_BLOCK;
                int t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                for (int c = 0; c < hidden; c++) {
                    int src = hidden + c;
                    int dst = c * stride;
                    for (int t = t0; t < t1; t++) {
                        keysT[dst + t] = qkv[t * 3 * hidden + src];
                    }
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

    /** Queries [query, query + count) of one head, against the keys and values of their sequence. */
    private void attend(float[] qkv, float[] keysT, int stride, int offset, int len, int query, int count, int head,
                        float[] scores, int padded, float[] inverseSums, float[] laneSums, float[] context) {
        int rowStride = 3 * hidden;
        int q = query * rowStride + head * headDim;
        int keys = head * headDim * stride + offset;
        for (int j = 0; j < len; j += NR) {
            PanelKernel.multiply(keysT, keys + j, stride, headDim, qkv, q, rowStride, count,
                    PanelKernel.ZEROS, 0, 0, scores, j, padded, Math.min(NR, len - j));
        }
        for (int r = 0; r < count; r++) {
            inverseSums[r] = softmax(scores, r * padded, len, scale, laneSums);
        }
        int values = offset * rowStride + 2 * hidden + head * headDim;
        int out = query * hidden + head * headDim;
        for (int d = 0; d < headDim; d += NR) {
            PanelKernel.multiply(qkv, values + d, rowStride, len, scores, 0, padded, count,
                    PanelKernel.ZEROS, 0, 0, context, out + d, hidden, Math.min(NR, headDim - d));
        }
        for (int r = 0; r < count; r++) {
            scale(context, out + r * hidden, headDim, inverseSums[r]);
        }
    }

    private static void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    /**
     * Replaces the scores {@code x[off, off+len)} by {@code exp(scale·(x - max))} and returns 1 / their
     * sum (the normalisation is applied to the weighted values instead of to every weight).
     */
    private static float softmax(float[] x, int off, int len, float scale, float[] laneSums) {
        FloatVector maxes = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int m = 0;
        for (; m + V <= len; m += V) {
            maxes = maxes.max(FloatVector.fromArray(S, x, off + m));
        }
        // The maximum is exact in any order; lane(i) in a loop is far slower than one reduction.
        float max = maxes.reduceLanes(VectorOperators.MAX);
        for (; m < len; m++) {
            max = Math.max(max, x[off + m]);
        }
        // Lane sums are added in a fixed order: reduceLanes may associate differently once JIT-compiled,
        // and the same input must always give the same embedding.
        FloatVector sums = FloatVector.zero(S);
        int j = 0;
        for (; j + V <= len; j += V) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, off + j).sub(max).mul(scale));
            e.intoArray(x, off + j);
            sums = sums.add(e);
        }
        sums.intoArray(laneSums, 0);
        float sum = 0;
        for (int lane = 0; lane < V; lane++) {
            sum += laneSums[lane];
        }
        for (; j < len; j++) {
            float e = (float) Math.exp((x[off + j] - max) * scale);
            x[off + j] = e;
            sum += e;
        }
        return 1f / sum;
    }
}
