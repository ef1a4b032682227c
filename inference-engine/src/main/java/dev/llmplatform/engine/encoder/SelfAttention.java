package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bidirectional multi-head scaled dot-product attention over a ragged batch: each sequence attends to
 * exactly its own tokens (what a padding mask achieves in a padded batch).
 *
 * <p>Input is the fused projection {@code qkv} ({@code tokens × 3H}: query, key, value per row). Keys are
 * first transposed per head ({@code keysT[c][t]}, rows padded by one vector) so that a query's scores
 * are vector FMAs along the keys; four queries are processed together so that each key and value
 * vector loaded serves four rows. Work is split into (sequence, block of 16 queries, head) tasks.
 */
final class SelfAttention {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    private static final int QUERY_BLOCK = 16;
    private static final int TOKEN_BLOCK = 64;

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

    /** Row stride of the transposed keys for {@code tokens} tokens. */
    static int keysStride(int tokens) {
        return tokens + V;
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
            float[] scores = new float[4 * padded];
            for (int task = start; task < end; task++) {
                int head = task % heads;
                int block = task / heads;
                int s = sequenceOf(blockStart, block);
                int offset = offsets[s];
                int len = offsets[s + 1] - offset;
                int first = (block - blockStart[s]) * QUERY_BLOCK;
                int last = Math.min(len, first + QUERY_BLOCK);
                int i = first;
                for (; i + 4 <= last; i += 4) {
                    attendFour(qkv, keysT, stride, offset, len, offset + i, head, scores, padded, context);
                }
                for (; i < last; i++) {
                    attendOne(qkv, keysT, stride, offset, len, offset + i, head, scores, context);
                }
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

    /** Four consecutive query rows of one head; scores of row r live at {@code scores[r·padded ..]}. */
    private void attendFour(float[] qkv, float[] keysT, int stride, int offset, int len, int query, int head,
                            float[] scores, int padded, float[] context) {
        int q0 = query * 3 * hidden + head * headDim;
        int q1 = q0 + 3 * hidden;
        int q2 = q1 + 3 * hidden;
        int q3 = q2 + 3 * hidden;
        int kBase = head * headDim * stride + offset;
        int lenPadded = (len + V - 1) / V * V;
        for (int j = 0; j < lenPadded; j += V) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            int k = kBase + j;
            for (int d = 0; d < headDim; d++, k += stride) {
                FloatVector kv = FloatVector.fromArray(S, keysT, k);
                a0 = kv.fma(FloatVector.broadcast(S, qkv[q0 + d]), a0);
                a1 = kv.fma(FloatVector.broadcast(S, qkv[q1 + d]), a1);
                a2 = kv.fma(FloatVector.broadcast(S, qkv[q2 + d]), a2);
                a3 = kv.fma(FloatVector.broadcast(S, qkv[q3 + d]), a3);
            }
            a0.mul(scale).intoArray(scores, j);
            a1.mul(scale).intoArray(scores, padded + j);
            a2.mul(scale).intoArray(scores, 2 * padded + j);
            a3.mul(scale).intoArray(scores, 3 * padded + j);
        }
        float inv0 = softmax(scores, 0, len);
        float inv1 = softmax(scores, padded, len);
        float inv2 = softmax(scores, 2 * padded, len);
        float inv3 = softmax(scores, 3 * padded, len);
        int vBase = offset * 3 * hidden + 2 * hidden + head * headDim;
        int out = query * hidden + head * headDim;
        int d = 0;
        for (; d + V <= headDim; d += V) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            int v = vBase + d;
            for (int t = 0; t < len; t++, v += 3 * hidden) {
                FloatVector vv = FloatVector.fromArray(S, qkv, v);
                a0 = vv.fma(FloatVector.broadcast(S, scores[t]), a0);
                a1 = vv.fma(FloatVector.broadcast(S, scores[padded + t]), a1);
                a2 = vv.fma(FloatVector.broadcast(S, scores[2 * padded + t]), a2);
                a3 = vv.fma(FloatVector.broadcast(S, scores[3 * padded + t]), a3);
            }
            a0.mul(inv0).intoArray(context, out + d);
            a1.mul(inv1).intoArray(context, out + hidden + d);
            a2.mul(inv2).intoArray(context, out + 2 * hidden + d);
            a3.mul(inv3).intoArray(context, out + 3 * hidden + d);
        }
        for (; d < headDim; d++) {
            for (int r = 0; r < 4; r++) {
                context[out + r * hidden + d] = weightedValue(qkv, vBase + d, scores, r * padded, len) * (r == 0 ? inv0
                        : r == 1 ? inv1 : r == 2 ? inv2 : inv3);
            }
        }
    }

    /** One query row of one head. */
    private void attendOne(float[] qkv, float[] keysT, int stride, int offset, int len, int query, int head,
                           float[] scores, float[] context) {
        int q = query * 3 * hidden + head * headDim;
        int kBase = head * headDim * stride + offset;
        int lenPadded = (len + V - 1) / V * V;
        for (int j = 0; j < lenPadded; j += V) {
            FloatVector a = FloatVector.zero(S);
            int k = kBase + j;
            for (int d = 0; d < headDim; d++, k += stride) {
                a = FloatVector.fromArray(S, keysT, k).fma(FloatVector.broadcast(S, qkv[q + d]), a);
            }
            a.mul(scale).intoArray(scores, j);
        }
        float inv = softmax(scores, 0, len);
        int vBase = offset * 3 * hidden + 2 * hidden + head * headDim;
        int out = query * hidden + head * headDim;
        int d = 0;
        for (; d + V <= headDim; d += V) {
            FloatVector a = FloatVector.zero(S);
            int v = vBase + d;
            for (int t = 0; t < len; t++, v += 3 * hidden) {
                a = FloatVector.fromArray(S, qkv, v).fma(FloatVector.broadcast(S, scores[t]), a);
            }
            a.mul(inv).intoArray(context, out + d);
        }
        for (; d < headDim; d++) {
            context[out + d] = weightedValue(qkv, vBase + d, scores, 0, len) * inv;
        }
    }

    private float weightedValue(float[] qkv, int v, float[] scores, int sOff, int len) {
        float acc = 0;
        for (int t = 0; t < len; t++, v += 3 * hidden) {
            acc += scores[sOff + t] * qkv[v];
        }
        return acc;
    }

    /**
     * Replaces {@code x[off, off+len)} by {@code exp(x - max)} and returns 1 / their sum (the
     * normalisation is applied to the weighted values instead of to every weight).
     */
    private static float softmax(float[] x, int off, int len) {
        FloatVector maxes = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int m = 0;
        for (; m + V <= len; m += V) {
            maxes = maxes.max(FloatVector.fromArray(S, x, off + m));
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int lane = 0; lane < V; lane++) {
            max = Math.max(max, maxes.lane(lane));
        }
        for (; m < len; m++) {
            max = Math.max(max, x[off + m]);
        }
        // Lane sums are added in a fixed order: reduceLanes may associate differently once JIT-compiled,
        // and the same input must always give the same embedding.
        FloatVector sums = FloatVector.zero(S);
        int j = 0;
        for (; j + V <= len; j += V) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, off + j).sub(max));
            e.intoArray(x, off + j);
            sums = sums.add(e);
        }
        float sum = 0;
        for (int lane = 0; lane < V; lane++) {
            sum += sums.lane(lane);
        }
        for (; j < len; j++) {
            float e = (float) Math.exp(x[off + j] - max);
            x[off + j] = e;
            sum += e;
        }
        return 1f / sum;
    }
}
