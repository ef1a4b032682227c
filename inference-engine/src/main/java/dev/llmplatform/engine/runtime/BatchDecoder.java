package dev.llmplatform.engine.runtime;

import dev.llmplatform.engine.model.ForwardBuffers;
import dev.llmplatform.engine.model.KvCache;
import dev.llmplatform.engine.model.Transformer;
import java.util.List;

/**
 * Decodes one token for each of several sequences in a single forward pass, so a server running many
 * conversations reads the weights once per step instead of once per conversation. Owns buffers for
 * up to {@code maxSequences} rows; use from one thread at a time (e.g. a scheduler loop).
 */
public final class BatchDecoder {
    private final Transformer model;
    private final ForwardBuffers buffers;
    private final float[] logits;
    private final int[] tokens;
    private final KvCache[] caches;
    private final int[] positions;

    public BatchDecoder(Transformer model, int maxSequences) {
        this.model = model;
        this.buffers = new ForwardBuffers(model, maxSequences);
        this.logits = new float[maxSequences * model.vocabularySize()];
        this.tokens = new int[maxSequences];
        this.caches = new KvCache[maxSequences];
        this.positions = new int[maxSequences];
    }

    public int maxSequences() {
        return buffers.capacity();
    }

    /**
     * Appends {@code next[i]} to {@code sequences.get(i)} for every i; afterwards each sequence's
     * {@link Sequence#logits()} holds its logits after that token. The sequences must be distinct.
     */
    public void decode(List<Sequence> sequences, int[] next) {
        int n = sequences.size();
        if (n > maxSequences()) {
            throw new IllegalArgumentException(n + " sequences, this decoder takes " + maxSequences());
        }
        for (int i = 0; i < n; i++) {
            Sequence s = sequences.get(i);
            if (s.model() != model) {
                throw new IllegalArgumentException("sequence " + i + " belongs to another model");
            }
            s.ensureRoom(1);
            tokens[i] = next[i];
            caches[i] = s.cache();
            positions[i] = s.length();
        }
        model.forwardRows(tokens, caches, positions, n, buffers, logits);
        int vocab = model.vocabularySize();
        for (int i = 0; i < n; i++) {
            sequences.get(i).acceptBatched(next[i], logits, i * vocab);
            caches[i] = null;
        }
    }
}
