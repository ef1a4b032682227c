package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tensor.Simd;
import java.util.concurrent.ArrayBlockingQueue;
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
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int V = S.length();

    private final BertWeights weights;
    private final BertConfig config;
    private final SelfAttention attention;
    /** The worker pool the encoder computes on; owned by whoever made it (e.g. a {@link SentenceEmbedder}). */
    private final Parallel parallel;
    /** Idle workspaces, kept for the encoder's lifetime; at most {@link #IDLE_WORKSPACES}, the rest are dropped when closed. */
    private final ArrayBlockingQueue<EncoderWorkspace> idle = new ArrayBlockingQueue<>(IDLE_WORKSPACES);
    /** About as many callers as usually encode at once (they share one worker pool); more only cost allocation. */
    private static final int IDLE_WORKSPACES = 4;
    /** Tokens of the largest pass whose buffers a pooled workspace keeps: two full MiniLM windows, about 10 MB. */
    static final int RETAINED_TOKENS = 512;

    public BertEncoder(BertWeights weights, Parallel parallel) {
        this.weights = weights;
        this.config = weights.config();
        this.parallel = parallel;
        this.attention = new SelfAttention(config, parallel);
    }

    public Parallel parallel() {
        return parallel;
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
        return encode(sequences, config.layers());
    }

    /**
     * The hidden states after the first {@code layers} blocks (0: the normalised embeddings). Early layers are a
     * cheaper feature extractor: a classifier trained on their pooled output pays only for the layers it reads.
     */
    public HiddenStates encode(int[][] sequences, int layers) {
        return encode(sequences, layers, new EncoderWorkspace(0));
    }

    /**
     * A workspace for {@link #encode(int[][], int, EncoderWorkspace)}, from this encoder's pool of idle ones (or a
     * new one); {@link EncoderWorkspace#close()} gives it back.
     */
    public EncoderWorkspace acquireWorkspace() {
        EncoderWorkspace w = idle.poll();
        if (w == null) {
            return new EncoderWorkspace(this, RETAINED_TOKENS);
        }
        w.reopen();
        return w;
    }

    void release(EncoderWorkspace workspace) {
        idle.offer(workspace);
    }

    /**
     * As {@link #encode(int[][], int)}, computing in {@code workspace}'s buffers: the returned states are a view of
     * one of them (its {@code values} may be longer than the batch), valid until the workspace is reset or closed.
     * The arithmetic is the same, so are the results, to the bit.
     */
    public HiddenStates encode(int[][] sequences, int layers, EncoderWorkspace workspace) {
        if (layers < 0 || layers > config.layers()) {
            throw new IllegalArgumentException("layers must be in 0.." + config.layers() + ", got " + layers);
        }
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
        float[] x = workspace.output(tokens, tokens * h);
        embed(sequences, offsets, x);
        if (layers == 0) {
            return new HiddenStates(x, offsets, h);
        }
        float[] qkv = workspace.qkv(tokens, tokens * 3 * h);
        float[] panels = workspace.panels(tokens, attention.panelsLength(offsets));
        float[] context = workspace.context(tokens, tokens * h);
        float[] projected = workspace.projected(tokens, tokens * h);
        float[] ffn = workspace.ffn(tokens, tokens * config.intermediateSize());
        for (BertLayer layer : weights.layers().subList(0, layers)) {
            F32Gemm.multiply(parallel, x, tokens, layer.qkv(), F32Gemm.Activation.NONE, qkv);
            attention.run(qkv, panels, offsets, context, workspace);
            F32Gemm.multiply(parallel, context, tokens, layer.attnOutput(), F32Gemm.Activation.NONE, projected);
            addAndNormalize(projected, x, tokens, layer.attnNorm());
            F32Gemm.multiply(parallel, x, tokens, layer.up(), F32Gemm.Activation.GELU, ffn);
            F32Gemm.multiply(parallel, ffn, tokens, layer.down(), F32Gemm.Activation.NONE, projected);
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
        parallel.forRange(tokens, (start, end) -> {
            for (int t = start; t < end; t++) {
                layerNorm(x, t * h, h, weights.embeddingNorm(), config.layerNormEps());
            }
        });
    }

    /**
     * {@code x = LayerNorm(x + delta)} row by row: the residual connection of a post-LN block. Package-private for
     * {@code EncoderCpuTime}, which times the layer loop stage by stage.
     */
    void addAndNormalize(float[] delta, float[] x, int tokens, LayerNormWeights norm) {
        int h = config.hiddenSize();
        float eps = config.layerNormEps();
        parallel.forRange(tokens, (start, end) -> {
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

    /**
     * LayerNorm of the row {@code x[off, off+n)} in place: mean and variance (two passes, as the reference) from
     * per-lane sums added up in lane order — the same row always gives the same result, and it is vector work
     * where the scalar sums were a chain of dependent adds (about 4 % of a long batch's time).
     */
    static void layerNorm(float[] x, int off, int n, LayerNormWeights norm, float eps) {
        int vectors = n - n % V;
        FloatVector sums = FloatVector.zero(S);
        for (int i = 0; i < vectors; i += V) {
            sums = sums.add(FloatVector.fromArray(S, x, off + i));
        }
        float sum = inLaneOrder(sums);
        for (int i = vectors; i < n; i++) {
            sum += x[off + i];
        }
        float mean = sum / n;
        FloatVector squares = FloatVector.zero(S);
        for (int i = 0; i < vectors; i += V) {
            FloatVector d = FloatVector.fromArray(S, x, off + i).sub(mean);
            squares = d.fma(d, squares);
        }
        float var = inLaneOrder(squares);
        for (int i = vectors; i < n; i++) {
            float d = x[off + i] - mean;
            var += d * d;
        }
        float inv = (float) (1.0 / Math.sqrt(var / n + eps));
        float[] g = norm.weight();
        float[] b = norm.bias();
        for (int i = 0; i < vectors; i += V) {
            FloatVector.fromArray(S, x, off + i).sub(mean).mul(inv)
                    .fma(FloatVector.fromArray(S, g, i), FloatVector.fromArray(S, b, i)).intoArray(x, off + i);
        }
        for (int i = vectors; i < n; i++) {
            x[off + i] = (x[off + i] - mean) * inv * g[i] + b[i];
        }
    }

    /**
     * The lanes' sum, added first to last: {@code reduceLanes(ADD)} may associate differently once JIT-compiled,
     * and the same input must always give the same embedding.
     */
    private static float inLaneOrder(FloatVector v) {
        float sum = 0;
        for (int lane = 0; lane < V; lane++) {
            sum += v.lane(lane);
        }
        return sum;
    }

    /**
     * Hidden states of a ragged batch.
     *
     * @param values  {@code tokens × hiddenSize}, sequence {@code s} in rows {@code [offsets[s], offsets[s+1])}; in a
     *                workspace's buffer the array may be longer (rows past the last sequence's are stale)
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
