package dev.llmplatform.engine.encoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The buffers of encoder passes, kept between calls so that a pass over a short batch allocates next to nothing:
 * the hidden states, the per-layer activations (fused projection, attention panels and context, feed-forward) and
 * the attention's score scratch. Without it a 220-token pass of one MiniLM block allocated about 4 MB, the larger
 * part of a guardrails check, and the young collections that followed (with the heap growth they trigger) were the
 * checks' latency tail.
 *
 * <p>Hidden states handed out by {@link BertEncoder#encode(int[][], int, EncoderWorkspace)} live in the workspace:
 * each pass gets a buffer of its own, valid until {@link #close()} (or {@link #reset()}), so one caller's several
 * passes (a check's windows, asked for by two detectors) can be read side by side without copying. Buffers for a
 * pass of more than {@link #retainedTokens()} tokens are allocated for that pass and not kept, which bounds what
 * an idle workspace holds.
 *
 * <p>One caller at a time: not thread-safe. A workspace comes from {@link BertEncoder#acquireWorkspace()} (or a
 * {@link SentenceEmbedder}'s), whose pool it returns to on {@link #close()}; the pool keeps a few idle ones for the
 * encoder's lifetime.
 */
public final class EncoderWorkspace implements AutoCloseable {
    private final BertEncoder owner;
    private final int retainedTokens;
    private final Buffer qkv = new Buffer();
    private final Buffer panels = new Buffer();
    private final Buffer context = new Buffer();
    private final Buffer projected = new Buffer();
    private final Buffer ffn = new Buffer();
    /** Attention score scratch, one per concurrently running chunk. */
    private final List<Buffer> scores = new ArrayList<>();
    /** Hidden-state buffers, one per pass since the last reset; the first {@link #passes} are in use. */
    private final List<Buffer> outputs = new ArrayList<>();
    private int passes;
    /** Closed (back in the pool or dropped): a second close must not hand it out twice. */
    private boolean closed;

    /** A workspace of {@code owner}'s pool. */
    EncoderWorkspace(BertEncoder owner, int retainedTokens) {
        this.owner = owner;
        this.retainedTokens = retainedTokens;
    }

    /** A workspace of no pool (a call that keeps nothing: {@code retainedTokens} 0; benchmarks). */
    EncoderWorkspace(int retainedTokens) {
        this(null, retainedTokens);
    }

    /** Passes of at most this many tokens reuse the workspace's buffers; longer ones allocate their own. */
    public int retainedTokens() {
        return retainedTokens;
    }

    /** Makes all buffers available again: hidden states handed out before are overwritten by later passes. */
    public void reset() {
        passes = 0;
    }

    /** {@link #reset()} and back to the encoder's pool of idle workspaces; do not use it afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            reset();
            if (owner != null) {
                owner.release(this);
            }
        }
    }

    /** Taken from the pool again. */
    void reopen() {
        closed = false;
    }

    /** A buffer for the hidden states of a pass over {@code tokens} tokens that no earlier pass since the last reset uses. */
    float[] output(int tokens, int length) {
        if (passes == outputs.size()) {
            outputs.add(new Buffer());
        }
        return outputs.get(passes++).take(tokens, length);
    }

    float[] qkv(int tokens, int length) {
        return qkv.take(tokens, length);
    }

    float[] panels(int tokens, int length) {
        return panels.take(tokens, length);
    }

    float[] context(int tokens, int length) {
        return context.take(tokens, length);
    }

    float[] projected(int tokens, int length) {
        return projected.take(tokens, length);
    }

    float[] ffn(int tokens, int length) {
        return ffn.take(tokens, length);
    }

    /**
     * Score scratch for chunk {@code chunk} of a pass's attention. All chunks' arrays are taken here, on the calling
     * thread, before the chunks run; each chunk then writes only its own.
     */
    float[][] scores(int tokens, int chunks, int length) {
        float[][] s = new float[chunks][];
        for (int c = 0; c < chunks; c++) {
            if (c == scores.size()) {
                scores.add(new Buffer());
            }
            s[c] = scores.get(c).take(tokens, length);
        }
        return s;
    }

    /**
     * One reusable array. Its contents are whatever the last pass left: every buffer is written before it is read,
     * so it is never cleared.
     */
    private final class Buffer {
        private float[] kept = new float[0];

        /** At least {@code length} floats; a new array is kept only for a pass of at most {@link #retainedTokens} tokens. */
        float[] take(int tokens, int length) {
            if (kept.length >= length) {
                return kept;
            }
            float[] fresh = new float[length];
            if (tokens <= retainedTokens) {
                kept = fresh;
            }
            return fresh;
        }
    }
}
