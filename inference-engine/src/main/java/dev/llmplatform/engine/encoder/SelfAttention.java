package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.PanelKernel;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import dev.llmplatform.engine.tensor.VectorExp;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bidirectional multi-head scaled dot-product attention over a ragged batch: each sequence attends to
 * exactly its own tokens (what a padding mask achieves in a padded batch).
 *
 * <p>Input is the fused projection {@code qkv} ({@code tokens × 3H}: query, key, value per row). Both products
 * run on the engine's shared microkernel ({@link PanelKernel}, panels {@code [k][NR]}), <em>transposed</em>: a
 * task's block of {@link PanelKernel#NR} queries is the panel, so its columns are queries and never the head's
 * dimensions — MiniLM's heads have 32, half a 512-bit panel, and the context {@code P·V} over value panels ran
 * half its FMAs on zero columns.
 * <ol>
 * <li>{@code Sᵀ = K·Qᵀ}: the block's queries packed transposed ({@code [d][query]}) are the panel, the
 * sequence's key rows the kernel's inputs, read in place; the scores come out {@code [key][query]}, which is
 * already the panel layout of step 3.</li>
 * <li>Softmax down the columns: per key row, vectors of queries — maxima and sums per lane, no reduction
 * across lanes. Scores become {@code exp(scale·(s − max))}; the division by the sum is left to the context,
 * {@code headDim} values per query instead of one per key.</li>
 * <li>{@code (P·V)ᵀ = Vᵀ·Pᵀ}: the exponentials are the panel, the head's value columns (packed once per
 * sequence and head as rows {@code [d][key]}) the inputs; each context row is then scaled by its query's
 * 1/sum on the way back to the {@code tokens × H} layout.</li>
 * </ol>
 * Work is split into (sequence, head, block of queries) tasks.
 */
final class SelfAttention {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();
    private static final int NR = PanelKernel.NR;
    /** Chunks of attention tasks per thread: enough to even out a slow thread. */
    private static final int CHUNKS_PER_THREAD = 4;

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

    /** The length of the buffer {@link #run} needs for the values transposed, sequences at {@code offsets}. */
    int panelsLength(int[] offsets) {
        long length = (long) offsets[offsets.length - 1] * heads * headDim;
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("batch of " + offsets[offsets.length - 1] + " tokens is too large to attend at once");
        }
        return (int) length;
    }

    /**
     * Writes {@code context} ({@code tokens × H}): per head, the attention-weighted sum of values.
     *
     * @param panels    scratch of {@link #panelsLength} floats (the values transposed)
     * @param workspace where the chunks' score scratch comes from
     */
    void run(float[] qkv, float[] panels, int[] offsets, float[] context, EncoderWorkspace workspace) {
        int sequences = offsets.length - 1;
        // Tasks are numbered through a prefix sum of query blocks per sequence.
        int[] blockStart = new int[sequences + 1];
        int maxLen = 0;
        for (int s = 0; s < sequences; s++) {
            int len = offsets[s + 1] - offsets[s];
            maxLen = Math.max(maxLen, len);
            blockStart[s + 1] = blockStart[s] + Parallel.ceilDiv(len, NR);
        }
        parallel.forRange(sequences * heads, (start, end) -> {
            for (int task = start; task < end; task++) {
                int s = task / heads;
                int head = task % heads;
                transposeValues(qkv, offsets[s], offsets[s + 1] - offsets[s], head, panels);
            }
        });
        int tasks = blockStart[sequences] * heads;
        // Chunks of a fixed grain, so that chunk start / grain names the chunk and picks its own score scratch from
        // the workspace (a few chunks per thread, as Parallel's default split).
        int grain = Math.max(1, Parallel.ceilDiv(tasks, parallel.threads() * CHUNKS_PER_THREAD));
        float[][] scratch = workspace.scores(offsets[sequences], Parallel.ceilDiv(tasks, grain), (2 * headDim + maxLen) * NR);
        parallel.forRange(tasks, grain, (start, end) -> {
            float[] buffer = scratch[start / grain];
            float[] inverseSums = new float[NR];
            for (int task = start; task < end; task++) {
                // A sequence's tasks are numbered head-major, so that consecutive tasks share a head's keys and
                // values while they are in cache.
                int s = sequenceOf(blockStart, task / heads);
                int blocks = blockStart[s + 1] - blockStart[s];
                int local = task - blockStart[s] * heads;
                int head = local / blocks;
                int offset = offsets[s];
                int len = offsets[s + 1] - offset;
                int first = (local % blocks) * NR;
                attend(qkv, panels, offset, len, first, Math.min(len - first, NR), head, buffer, inverseSums, context);
            }
        });
    }

    /**
     * Where one head's values of the sequence starting at token {@code offset} lie transposed: {@code headDim}
     * rows of the sequence's length, all heads of a sequence together.
     */
    private int valuesAt(int offset, int len, int head) {
        return (offset * heads + head * len) * headDim;
    }

    /** One head's values of a sequence as rows {@code [d][key]}: the inputs of the context product. */
    private void transposeValues(float[] qkv, int offset, int len, int head, float[] panels) {
        int rowStride = 3 * hidden;
        int dst = valuesAt(offset, len, head);
        int src = offset * rowStride + 2 * hidden + head * headDim;
        for (int u = 0; u < len; u++) {
            for (int d = 0; d < headDim; d++) {
                panels[dst + d * len + u] = qkv[src + u * rowStride + d];
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

    /**
     * Queries [first, first + count) of one head of the sequence at token {@code offset}. {@code buffer} holds
     * the queries' panel, the transposed context and the scores, in that order.
     */
    private void attend(float[] qkv, float[] panels, int offset, int len, int first, int count, int head,
                        float[] buffer, float[] inverseSums, float[] context) {
        int rowStride = 3 * hidden;
        int queries = 0;
        int contextT = headDim * NR;
        int scores = 2 * headDim * NR;
        // Columns past the last query are zero: the kernels run whole panels, and what they compute there is
        // never read, but it must not be garbage that slows the arithmetic down (subnormals, NaN).
        int q = (offset + first) * rowStride + head * headDim;
        for (int d = 0; d < headDim; d++) {
            int row = queries + d * NR;
            for (int j = 0; j < count; j++) {
                buffer[row + j] = qkv[q + j * rowStride + d];
            }
            Arrays.fill(buffer, row + count, row + NR, 0f);
        }
        PanelKernel.multiply(buffer, queries, headDim, qkv, offset * rowStride + hidden + head * headDim, rowStride,
                len, buffer, scores, NR, NR);
        softmaxColumns(buffer, scores, len, scale, inverseSums);
        PanelKernel.multiply(buffer, scores, len, panels, valuesAt(offset, len, head), len, headDim,
                buffer, contextT, NR, NR);
        int out = (offset + first) * hidden + head * headDim;
        for (int d = 0; d < headDim; d++) {
            int row = contextT + d * NR;
            for (int j = 0; j < NR; j += V) {
                FloatVector.fromArray(S, buffer, row + j).mul(FloatVector.fromArray(S, inverseSums, j)).intoArray(buffer, row + j);
            }
            for (int j = 0; j < count; j++) {
                context[out + j * hidden + d] = buffer[row + j];
            }
        }
    }

    /**
     * Replaces the scores {@code x[off + u·NR + j]} (key u, query j) by {@code exp(scale·(x − max_j))} and writes
     * each query's 1 / sum to {@code inverseSums[j]}: every operation is per lane, one query per lane, and each
     * query's sum runs over its keys in order whatever else is in the batch.
     */
    private static void softmaxColumns(float[] x, int off, int len, float scale, float[] inverseSums) {
        for (int j = 0; j < NR; j += V) {
            FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int u = 0, i = off + j; u < len; u++, i += NR) {
                max = max.max(FloatVector.fromArray(S, x, i));
            }
            FloatVector sum = FloatVector.zero(S);
            for (int u = 0, i = off + j; u < len; u++, i += NR) {
                FloatVector e = VectorExp.exp(FloatVector.fromArray(S, x, i).sub(max).mul(scale));
                e.intoArray(x, i);
                sum = sum.add(e);
            }
            FloatVector.broadcast(S, 1f).div(sum).intoArray(inverseSums, j);
        }
    }
}
