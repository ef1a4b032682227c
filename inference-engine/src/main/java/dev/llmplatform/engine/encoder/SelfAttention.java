package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.PanelKernel;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import dev.llmplatform.engine.tensor.VectorExp;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bidirectional multi-head scaled dot-product attention over a ragged batch: each sequence attends to
 * exactly its own tokens (what a padding mask achieves in a padded batch).
 *
 * <p>Input is the fused projection {@code qkv} ({@code tokens × 3H}: query, key, value per row). Per
 * sequence and head, keys and values are first packed into the panels of the engine's shared microkernel
 * ({@link PanelKernel}, {@code [k][NR]}): the keys transposed ({@code k} = the head's dimensions, columns =
 * keys), the values as they are ({@code k} = the keys, columns = the head's dimensions). Both products of a
 * block of queries are then that GEMM: the scores {@code Q·Kᵀ}, then the context {@code P·V}. Between them
 * each score row becomes {@code exp(scale·(s − max))}; the normalisation by the row's sum is applied to its
 * context, {@code headDim} values instead of one per key. Work is split into (sequence, head, block of
 * queries) tasks.
 */
final class SelfAttention {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    private static final int NR = PanelKernel.NR;
    /** Queries per task: four blocks of the kernel's six. */
    private static final int QUERY_BLOCK = 4 * PanelKernel.MR;
    /** Chunks of attention tasks per thread: enough to even out a slow thread. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int hidden;
    private final int heads;
    private final int headDim;
    /** Value panels per head: the head's dimensions in panels of NR columns. */
    private final int valuePanels;
    private final float scale;
    private final Parallel parallel;

    SelfAttention(BertConfig config, Parallel parallel) {
        this.parallel = parallel;
        this.hidden = config.hiddenSize();
        this.heads = config.heads();
        this.headDim = config.headDim();
        this.valuePanels = Parallel.ceilDiv(headDim, NR);
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /** Floats of one head's packed keys and values for a sequence of {@code len} tokens. */
    private int headPanels(int len) {
        return (Parallel.ceilDiv(len, NR) * headDim + valuePanels * len) * NR;
    }

    /** The length of the panel buffer {@link #run} needs for sequences at {@code offsets}. */
    int panelsLength(int[] offsets) {
        long length = 0;
        for (int s = 0; s + 1 < offsets.length; s++) {
            length += (long) heads * headPanels(offsets[s + 1] - offsets[s]);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("batch of " + offsets[offsets.length - 1] + " tokens is too large to attend at once");
        }
        return (int) length;
    }

    /**
     * Writes {@code context} ({@code tokens × H}): per head, the attention-weighted sum of values.
     *
     * @param panels    scratch of {@link #panelsLength} floats
     * @param workspace where the chunks' score scratch comes from
     */
    void run(float[] qkv, float[] panels, int[] offsets, float[] context, EncoderWorkspace workspace) {
        int sequences = offsets.length - 1;
        int[] panelStart = new int[sequences + 1];
        // Tasks are numbered through a prefix sum of query blocks per sequence.
        int[] blockStart = new int[sequences + 1];
        int maxLen = 0;
        for (int s = 0; s < sequences; s++) {
            int len = offsets[s + 1] - offsets[s];
            maxLen = Math.max(maxLen, len);
            panelStart[s + 1] = panelStart[s] + heads * headPanels(len);
            blockStart[s + 1] = blockStart[s] + Parallel.ceilDiv(len, QUERY_BLOCK);
        }
        parallel.forRange(sequences * heads, (start, end) -> {
            for (int task = start; task < end; task++) {
                int s = task / heads;
                int head = task % heads;
                int len = offsets[s + 1] - offsets[s];
                pack(qkv, offsets[s], len, head, panels, panelStart[s] + head * headPanels(len));
            }
        });
        int padded = Parallel.ceilDiv(maxLen, V) * V;
        int tasks = blockStart[sequences] * heads;
        // Chunks of a fixed grain, so that chunk start / grain names the chunk and picks its own score scratch from
        // the workspace (a few chunks per thread, as Parallel's default split).
        int grain = Math.max(1, Parallel.ceilDiv(tasks, parallel.threads() * CHUNKS_PER_THREAD));
        float[][] scratch = workspace.scores(offsets[sequences], Parallel.ceilDiv(tasks, grain), QUERY_BLOCK * padded);
        parallel.forRange(tasks, grain, (start, end) -> {
            float[] scores = scratch[start / grain];
            float[] inverseSums = new float[QUERY_BLOCK];
            float[] laneSums = new float[V];
            for (int task = start; task < end; task++) {
                // A sequence's tasks are numbered head-major, so that consecutive tasks share a head's panels
                // while they are in cache.
                int s = sequenceOf(blockStart, task / heads);
                int blocks = blockStart[s + 1] - blockStart[s];
                int local = task - blockStart[s] * heads;
                int head = local / blocks;
                int offset = offsets[s];
                int len = offsets[s + 1] - offset;
                int first = (local % blocks) * QUERY_BLOCK;
                int count = Math.min(len - first, QUERY_BLOCK);
                attend(qkv, panels, panelStart[s] + head * headPanels(len), len, offset + first, count, head,
                        scores, padded, inverseSums, laneSums, context);
            }
        });
    }

    /**
     * One head's keys and values of a sequence into panels at {@code base}: key panel p holds
     * {@code [d][key p·NR + j]}, then value panel p holds {@code [key][dimension p·NR + j]}; columns past
     * the last key or dimension are zero.
     */
    private void pack(float[] qkv, int offset, int len, int head, float[] panels, int base) {
        int rowStride = 3 * hidden;
        int keyPanels = Parallel.ceilDiv(len, NR);
        // Columns past the last key (and past the last dimension, below) are zero: the kernel reads whole panels.
        for (int u = len; u < keyPanels * NR; u++) {
            int dst = base + (u / NR) * headDim * NR + u % NR;
            for (int d = 0; d < headDim; d++) {
                panels[dst + d * NR] = 0;
            }
        }
        for (int u = 0; u < len; u++) {
            int key = (offset + u) * rowStride + hidden + head * headDim;
            int dst = base + (u / NR) * headDim * NR + u % NR;
            for (int d = 0; d < headDim; d++) {
                panels[dst + d * NR] = qkv[key + d];
            }
        }
        int values = base + keyPanels * headDim * NR;
        for (int p = 0; p < valuePanels; p++) {
            int width = Math.min(NR, headDim - p * NR);
            for (int u = 0; u < len; u++) {
                int dst = values + (p * len + u) * NR;
                System.arraycopy(qkv, (offset + u) * rowStride + 2 * hidden + head * headDim + p * NR, panels, dst, width);
                Arrays.fill(panels, dst + width, dst + NR, 0f);
            }
        }
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

    /** Queries [query, query + count) of one head, against its sequence's panels at {@code base}. */
    private void attend(float[] qkv, float[] panels, int base, int len, int query, int count, int head,
                        float[] scores, int padded, float[] inverseSums, float[] laneSums, float[] context) {
        int q = query * 3 * hidden + head * headDim;
        int keyPanels = Parallel.ceilDiv(len, NR);
        for (int p = 0; p < keyPanels; p++) {
            PanelKernel.multiply(panels, base + p * headDim * NR, headDim, qkv, q, 3 * hidden, count,
                    scores, p * NR, padded, Math.min(NR, len - p * NR));
        }
        for (int r = 0; r < count; r++) {
            inverseSums[r] = softmax(scores, r * padded, len, scale, laneSums);
        }
        int values = base + keyPanels * headDim * NR;
        int out = query * hidden + head * headDim;
        for (int p = 0; p < valuePanels; p++) {
            PanelKernel.multiply(panels, values + p * len * NR, len, scores, 0, padded, count,
                    context, out + p * NR, hidden, Math.min(NR, headDim - p * NR));
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
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, off + j).sub(max).mul(scale));
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
