package dev.llmplatform.engine.runtime;

import dev.llmplatform.engine.model.ForwardBuffers;
import dev.llmplatform.engine.model.KvCache;
import dev.llmplatform.engine.model.KvType;
import dev.llmplatform.engine.model.Transformer;
import java.util.Arrays;

/**
 * One independent token stream over a shared {@link Transformer}: its own KV cache (sized to the
 * context it asked for), forward buffers and logits, all allocated up front so decoding allocates
 * nothing per token. Several sequences may run concurrently on different threads; one sequence must
 * be used by one thread at a time.
 */
public final class Sequence implements TokenHistory {
    /** Prompt positions per batched forward call. */
    public static final int DEFAULT_BATCH = 32;

    private final Transformer model;
    private final KvCache cache;
    private final ForwardBuffers buffers;
    private final float[] logits;
    private final int[] tokens;
    private final int[] one = new int[1];
    private float[] batchLogits;
    private int length;

    /** A sequence with a {@link KvType#DEFAULT} cache. */
    public Sequence(Transformer model, int contextLength) {
        this(model, contextLength, DEFAULT_BATCH);
    }

    public Sequence(Transformer model, int contextLength, KvType kvType) {
        this(model, contextLength, DEFAULT_BATCH, kvType);
    }

    public Sequence(Transformer model, int contextLength, int batchSize) {
        this(model, contextLength, batchSize, KvType.DEFAULT);
    }

    public Sequence(Transformer model, int contextLength, int batchSize, KvType kvType) {
        this.model = model;
        this.cache = model.newCache(contextLength, kvType);
        this.buffers = new ForwardBuffers(model, Math.min(batchSize, contextLength));
        this.logits = new float[model.vocabularySize()];
        this.tokens = new int[contextLength];
    }

    public Transformer model() {
        return model;
    }

    /** Positions processed so far. */
    @Override
    public int length() {
        return length;
    }

    /** The most positions this sequence can hold. */
    public int capacity() {
        return cache.capacity();
    }

    public int remaining() {
        return cache.capacity() - length;
    }

    /** The tokens processed so far. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    /** The token at position {@code i < length()}. */
    @Override
    public int tokenAt(int i) {
        return tokens[i];
    }

    /** Forgets positions from {@code newLength} on, keeping the cache of the prefix for reuse. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " positions to " + newLength);
        }
        length = newLength;
    }

    /**
     * Processes {@code input} in batches and returns the logits after its last token. The returned
     * array is this sequence's buffer, overwritten by the next call.
     */
    public float[] append(int[] input) {
        if (input.length == 0) {
            throw new IllegalArgumentException("no tokens to process");
        }
        checkTokens(input);
        ensureRoom(input.length);
        int batch = buffers.capacity();
        for (int off = 0; off < input.length; off += batch) {
            int n = Math.min(batch, input.length - off);
            model.forward(input, off, n, length, cache, buffers, logits, false);
            System.arraycopy(input, off, tokens, length, n);
            length += n;
        }
        return logits;
    }

    /** Processes one token (a decode step) and returns the logits after it; no allocation. */
    public float[] append(int token) {
        ensureRoom(1);
        one[0] = token;
        model.forward(one, 0, 1, length, cache, buffers, logits, false);
        tokens[length++] = token;
        return logits;
    }

    /** Receives the logits after each position of a scored input. */
    @FunctionalInterface
    public interface PositionLogits {
        void accept(int index, float[] logits, int offset);
    }

    /**
     * Processes {@code input} and hands the logits after every one of its positions to {@code sink}
     * (teacher-forced scoring), batching positions through the same matmuls as prompt processing.
     */
    public void appendScoringAll(int[] input, PositionLogits sink) {
        checkTokens(input);
        ensureRoom(input.length);
        int batch = buffers.capacity();
        int vocab = model.vocabularySize();
        if (batchLogits == null) {
            batchLogits = new float[batch * vocab];
        }
        for (int off = 0; off < input.length; off += batch) {
            int n = Math.min(batch, input.length - off);
            model.forward(input, off, n, length, cache, buffers, batchLogits, true);
            System.arraycopy(input, off, tokens, length, n);
            length += n;
            for (int b = 0; b < n; b++) {
                sink.accept(off + b, batchLogits, b * vocab);
            }
        }
    }

    /** The logits after the last processed token (this sequence's buffer, overwritten by the next step). */
    public float[] logits() {
        return logits;
    }

    KvCache cache() {
        return cache;
    }

    /** The element type of this sequence's KV cache. */
    public KvType kvType() {
        return cache.type();
    }

    /** Bytes the KV cache holds now (it grows with the positions used, up to the context). */
    public long kvCacheBytes() {
        return cache.byteSize();
    }

    /** Records a token processed by a {@link BatchDecoder} pass, with the logits after it. */
    void acceptBatched(int token, float[] batchLogits, int offset) {
        System.arraycopy(batchLogits, offset, logits, 0, logits.length);
        tokens[length++] = token;
    }

    /** Rejects out-of-vocabulary ids before any are processed, so a bad input leaves the sequence unchanged. */
    private void checkTokens(int[] input) {
        int vocab = model.vocabularySize();
        for (int id : input) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
    }

    void ensureRoom(int n) {
        if (length + n > cache.capacity()) {
            throw new ContextFullException(length + n, cache.capacity());
        }
    }

    /** Thrown when a sequence would exceed the context it was created with. */
    public static final class ContextFullException extends IllegalStateException {
        public ContextFullException(int needed, int capacity) {
            super("context length exceeded: " + needed + " tokens needed, the sequence holds " + capacity);
        }
    }
}
