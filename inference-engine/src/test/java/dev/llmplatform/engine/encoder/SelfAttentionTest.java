package dev.llmplatform.engine.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.tensor.PanelKernel;
import dev.llmplatform.engine.tensor.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SelfAttention} against attention computed in double precision the plain way, on a ragged batch whose
 * lengths straddle the query blocks (one panel of {@link PanelKernel#NR} queries) and the kernel's six-row
 * blocks: one token, a few, a panel and one either side, two panels and a half.
 */
class SelfAttentionTest {
    @Test
    void matchesDoublePrecisionAttentionOnARaggedBatch() {
        int nr = PanelKernel.NR;
        int[] lengths = {1, 5, nr - 1, nr, nr + 1, 2 * nr + nr / 2 + 3};
        // MiniLM's head size (32) and a head size that is not a multiple of the vector length.
        for (int headDim : new int[] {32, 12}) {
            BertConfig config = new BertConfig(10, 3 * headDim, 1, 3, 4 * headDim, 512, 2, 1e-12f);
            int h = config.hiddenSize();
            int[] offsets = new int[lengths.length + 1];
            for (int s = 0; s < lengths.length; s++) {
                offsets[s + 1] = offsets[s] + lengths[s];
            }
            int tokens = offsets[lengths.length];
            SplittableRandom rnd = new SplittableRandom(7 + headDim);
            float[] qkv = new float[tokens * 3 * h];
            for (int i = 0; i < qkv.length; i++) {
                qkv[i] = (float) (2 * rnd.nextGaussian());
            }
            float[] context = new float[tokens * h];
            try (Parallel pool = new Parallel(2)) {
                SelfAttention attention = new SelfAttention(config, pool);
                float[] panels = new float[attention.panelsLength(offsets)];
                attention.run(qkv, panels, offsets, context, new EncoderWorkspace(tokens));
            }
            double worst = 0;
            for (int s = 0; s < lengths.length; s++) {
                for (int head = 0; head < config.heads(); head++) {
                    for (int t = offsets[s]; t < offsets[s + 1]; t++) {
                        double[] expected = naive(qkv, h, headDim, head, offsets[s], offsets[s + 1], t);
                        for (int d = 0; d < headDim; d++) {
                            worst = Math.max(worst, Math.abs(context[t * h + head * headDim + d] - expected[d]));
                        }
                    }
                }
            }
            assertThat(worst).as("largest error, head size %d", headDim).isLessThan(2e-5);
        }
    }

    /** Query {@code t}'s context in one head over keys [from, to), in double precision. */
    private static double[] naive(float[] qkv, int h, int headDim, int head, int from, int to, int t) {
        int stride = 3 * h;
        double[] scores = new double[to - from];
        double max = Double.NEGATIVE_INFINITY;
        for (int u = from; u < to; u++) {
            double dot = 0;
            for (int d = 0; d < headDim; d++) {
                dot += (double) qkv[t * stride + head * headDim + d] * qkv[u * stride + h + head * headDim + d];
            }
            scores[u - from] = dot / Math.sqrt(headDim);
            max = Math.max(max, scores[u - from]);
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.exp(scores[i] - max);
            sum += scores[i];
        }
        double[] out = new double[headDim];
        for (int u = from; u < to; u++) {
            for (int d = 0; d < headDim; d++) {
                out[d] += scores[u - from] / sum * qkv[u * stride + 2 * h + head * headDim + d];
            }
        }
        return out;
    }
}
