package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.WeightMatrix;
import java.util.List;

/** The position-wise MLP of a transformer block, over a batch of {@code n} positions. */
public sealed interface FeedForward {

    int hiddenDim();

    /** The weight matrices it multiplies by. */
    List<WeightMatrix> matrices();

    /** Floats of scratch {@link ForwardBuffers#ffnA} needs per position. */
    int scratchPerPosition();

    /** {@code out[b·dim..] = FFN(in[b·dim..])} for b in [0, n). */
    void forward(float[] in, int n, float[] out, ForwardBuffers buf);

    /** {@code down(act(gate·x) ⊙ up·x)} with separate gate and up matrices. */
    record Gated(WeightMatrix gate, WeightMatrix up, WeightMatrix down, Activation activation) implements FeedForward {
        @Override
        public List<WeightMatrix> matrices() {
            return java.util.List.of(gate, up, down);
        }

        @Override
        public int hiddenDim() {
            return up.rows();
        }

        @Override
        public int scratchPerPosition() {
            return up.rows();
        }

        @Override
        public void forward(float[] in, int n, float[] out, ForwardBuffers buf) {
            float[] g = buf.ffnA;
            float[] u = buf.ffnB;
            gate.matmul(in, n, g);
            up.matmul(in, n, u);
            activation.applyGated(g, 0, u, 0, g, 0, n * up.rows());
            down.matmul(g, n, out);
        }
    }

    /**
     * Gate and up stacked in one matrix (phi3's {@code ffn_up}): its output per position is
     * {@code [gate | up]}, each {@code hidden} wide.
     */
    record FusedGateUp(WeightMatrix gateUp, WeightMatrix down, Activation activation) implements FeedForward {
        @Override
        public List<WeightMatrix> matrices() {
            return java.util.List.of(gateUp, down);
        }

        @Override
        public int hiddenDim() {
            return gateUp.rows() / 2;
        }

        @Override
        public int scratchPerPosition() {
            return gateUp.rows();
        }

        @Override
        public void forward(float[] in, int n, float[] out, ForwardBuffers buf) {
            int hidden = hiddenDim();
            float[] both = buf.ffnA;
            float[] h = buf.ffnB;
            gateUp.matmul(in, n, both);
            for (int b = 0; b < n; b++) {
                int src = b * 2 * hidden;
                activation.applyGated(both, src, both, src + hidden, h, b * hidden, hidden);
            }
            down.matmul(h, n, out);
        }
    }
}
