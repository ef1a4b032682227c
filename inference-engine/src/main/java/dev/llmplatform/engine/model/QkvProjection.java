package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.WeightMatrix;
import java.util.List;

/** Projects normalised hidden states to queries, keys and values for a batch of {@code n} positions. */
public sealed interface QkvProjection {

    void project(float[] in, int n, ForwardBuffers buf);

    /** The weight matrices it multiplies by. */
    List<WeightMatrix> matrices();

    /** Separate Q, K, V matrices, each with an optional bias (qwen2 has them). */
    record Separate(WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, float[] bq, float[] bk, float[] bv)
            implements QkvProjection {
        @Override
        public List<WeightMatrix> matrices() {
            return java.util.List.of(wq, wk, wv);
        }

        @Override
        public void project(float[] in, int n, ForwardBuffers buf) {
            wq.matmul(in, n, buf.q);
            wk.matmul(in, n, buf.k);
            wv.matmul(in, n, buf.v);
            addBias(buf.q, n, bq);
            addBias(buf.k, n, bk);
            addBias(buf.v, n, bv);
        }

        private static void addBias(float[] x, int n, float[] bias) {
            if (bias == null) {
                return;
            }
            for (int b = 0; b < n; b++) {
                int off = b * bias.length;
                for (int i = 0; i < bias.length; i++) {
                    x[off + i] += bias[i];
                }
            }
        }
    }

    /** One matrix whose output per position is {@code [q | k | v]} (phi3's {@code attn_qkv}). */
    record Fused(WeightMatrix wqkv, int qDim, int kDim, int vDim) implements QkvProjection {
        @Override
        public List<WeightMatrix> matrices() {
            return java.util.List.of(wqkv);
        }

        public Fused {
            if (wqkv.rows() != qDim + kDim + vDim) {
                throw new IllegalArgumentException(wqkv.name() + " has " + wqkv.rows() + " rows, expected "
                        + (qDim + kDim + vDim));
            }
        }

        @Override
        public void project(float[] in, int n, ForwardBuffers buf) {
            float[] all = buf.qkv;
            wqkv.matmul(in, n, all);
            int stride = qDim + kDim + vDim;
            for (int b = 0; b < n; b++) {
                System.arraycopy(all, b * stride, buf.q, b * qDim, qDim);
                System.arraycopy(all, b * stride + qDim, buf.k, b * kDim, kDim);
                System.arraycopy(all, b * stride + qDim + kDim, buf.v, b * vDim, vDim);
            }
        }
    }
}
