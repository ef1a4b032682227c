package dev.llmplatform.engine.model;


/**
 * Scratch memory for running up to {@link #capacity} positions through a {@link Transformer} at once.
 * Allocated once per sequence so the decode loop does not allocate; not shared between threads.
 */
public final class ForwardBuffers {
    final int capacity;
    final float[] x;
    final float[] xn;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] qkv;
    final float[] att;
    final float[] out;
    final float[] ffnA;
    final float[] ffnB;
    final float[] cos;
    final float[] sin;
    /** The final hidden state of the last position, for the output projection. */
    final float[] last;
    /** Where each row of the batch belongs: its sequence's cache and its position there. */
    final KvCache[] rowCache;
    final int[] rowPos;
    final Transformer.AttentionTask attention = new Transformer.AttentionTask(this);
    final PromptAttention promptAttention = new PromptAttention(this);

    public ForwardBuffers(Transformer model, int capacity) {
        ModelConfig c = model.config();
        this.capacity = capacity;
        x = new float[capacity * c.dim()];
        xn = new float[capacity * c.dim()];
        q = new float[capacity * c.queryDim()];
        k = new float[capacity * c.keyDim()];
        v = new float[capacity * c.valueDim()];
        qkv = model.hasFusedQkv() ? new float[capacity * (c.queryDim() + c.keyDim() + c.valueDim())] : new float[0];
        att = new float[capacity * c.heads() * c.headDimV()];
        out = new float[capacity * c.dim()];
        ffnA = new float[capacity * model.maxFfnScratch()];
        ffnB = new float[capacity * model.maxFfnHidden()];
        cos = new float[c.ropeDim() / 2];
        sin = new float[c.ropeDim() / 2];
        last = new float[c.dim()];
        rowCache = new KvCache[capacity];
        rowPos = new int[capacity];
    }

    /** The most positions one forward call can take. */
    public int capacity() {
        return capacity;
    }
}
