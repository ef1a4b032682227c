package dev.llmplatform.engine.encoder;

import org.junit.jupiter.api.AutoClose;
import dev.llmplatform.engine.tensor.Parallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A tiny random BERT with shapes MiniLM does not have (head size 12, not a multiple of a vector; hidden
 * and feed-forward sizes that leave partial panels) against a direct, loop-by-loop transcription of
 * BERT's forward pass in double precision.
 */
class BertEncoderShapesTest {
    @AutoClose
    private final Parallel parallel = new Parallel(3);

    private static final int VOCAB = 50;
    private static final int H = 24;
    private static final int HEADS = 2;
    private static final int FFN = 40;
    private static final int LAYERS = 2;
    private static final int POSITIONS = 40;
    private static final float EPS = 1e-12f;

    private record Layer(float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv, float[] wo, float[] bo,
                         float[] g1, float[] b1, float[] wu, float[] bu, float[] wd, float[] bd, float[] g2, float[] b2) {}

    @Test
    void matchesDirectTranscriptionForUnusualShapes() {
        checkAgainstTranscription(LAYERS);
    }

    @Test
    void stoppingAfterTheFirstLayersMatchesTheTranscriptionOfThoseLayers() {
        // The injection classifier reads early-layer features: encode(batch, k) must be exactly the first k blocks.
        checkAgainstTranscription(1);
        checkAgainstTranscription(0);
    }

    private void checkAgainstTranscription(int depth) {
        Random rnd = new Random(11);
        Model m = model(rnd);
        BertEncoder encoder = m.encoder();
        int[][] batch = new int[7][];
        for (int s = 0; s < batch.length; s++) {
            batch[s] = rnd.ints(1 + rnd.nextInt(POSITIONS), 0, VOCAB).toArray();
        }
        BertEncoder.HiddenStates states = depth == LAYERS ? encoder.encode(batch) : encoder.encode(batch, depth);
        for (int s = 0; s < batch.length; s++) {
            double[][] expected = reference(batch[s], m.tok(), m.pos(), m.type(), m.eg(), m.eb(), m.raw().subList(0, depth));
            for (int t = 0; t < batch[s].length; t++) {
                for (int i = 0; i < H; i++) {
                    float actual = states.values()[(states.offsets()[s] + t) * H + i];
                    assertThat((double) actual).as("sequence %d token %d dim %d", s, t, i).isCloseTo(expected[t][i], within(2e-4));
                }
            }
        }
    }

    @Test
    void aReusedWorkspaceGivesTheFreshResultsToTheBit() {
        Random rnd = new Random(5);
        BertEncoder encoder = model(rnd).encoder();
        int[][] first = batch(rnd, 7);
        int[][] second = batch(rnd, 3);
        int[][] large = batch(rnd, 30); // more tokens than a workspace keeps buffers for
        assertThat(tokens(large)).isGreaterThan(BertEncoder.RETAINED_TOKENS);
        try (EncoderWorkspace workspace = encoder.acquireWorkspace()) {
            for (int round = 0; round < 2; round++) {
                BertEncoder.HiddenStates a = encoder.encode(first, LAYERS, workspace);
                BertEncoder.HiddenStates b = encoder.encode(second, 1, workspace);
                BertEncoder.HiddenStates c = encoder.encode(large, LAYERS, workspace);
                BertEncoder.HiddenStates d = encoder.encode(second, LAYERS, workspace);
                // every pass since the reset keeps its own states: the first is still intact after three more
                assertSameStates(a, encoder.encode(first, LAYERS));
                assertSameStates(b, encoder.encode(second, 1));
                assertSameStates(c, encoder.encode(large, LAYERS));
                assertSameStates(d, encoder.encode(second, LAYERS));
                workspace.reset();
            }
        }
        // closed, it went back to the pool and serves the next caller with the same buffers
        try (EncoderWorkspace again = encoder.acquireWorkspace()) {
            assertSameStates(encoder.encode(second, LAYERS, again), encoder.encode(second, LAYERS));
        }
    }

    private static int[][] batch(Random rnd, int sequences) {
        int[][] batch = new int[sequences][];
        for (int s = 0; s < sequences; s++) {
            batch[s] = rnd.ints(1 + rnd.nextInt(POSITIONS), 0, VOCAB).toArray();
        }
        return batch;
    }

    private static int tokens(int[][] batch) {
        return java.util.Arrays.stream(batch).mapToInt(b -> b.length).sum();
    }

    private static void assertSameStates(BertEncoder.HiddenStates actual, BertEncoder.HiddenStates fresh) {
        assertThat(actual.offsets()).isEqualTo(fresh.offsets());
        int n = fresh.offsets()[fresh.sequences()] * H;
        assertThat(java.util.Arrays.copyOf(actual.values(), n)).isEqualTo(fresh.values());
    }

    private record Model(BertEncoder encoder, float[] tok, float[] pos, float[] type, float[] eg, float[] eb, List<Layer> raw) {
    }

    private Model model(Random rnd) {
        float[] tok = random(rnd, VOCAB * H, 1);
        float[] pos = random(rnd, POSITIONS * H, 1);
        float[] type = random(rnd, 2 * H, 1);
        float[] eg = random(rnd, H, 0.2f);
        float[] eb = random(rnd, H, 0.2f);
        for (int i = 0; i < H; i++) {
            eg[i] += 1;
        }
        List<Layer> raw = new ArrayList<>();
        List<BertLayer> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            // PyTorch layout: weight[out][in]
            Layer x = new Layer(random(rnd, H * H, 0.3f), random(rnd, H, 0.1f), random(rnd, H * H, 0.3f), random(rnd, H, 0.1f),
                    random(rnd, H * H, 0.3f), random(rnd, H, 0.1f), random(rnd, H * H, 0.3f), random(rnd, H, 0.1f),
                    ones(rnd), random(rnd, H, 0.1f), random(rnd, FFN * H, 0.3f), random(rnd, FFN, 0.1f),
                    random(rnd, H * FFN, 0.3f), random(rnd, H, 0.1f), ones(rnd), random(rnd, H, 0.1f));
            raw.add(x);
            float[] qkv = new float[3 * H * H];
            System.arraycopy(x.wq, 0, qkv, 0, H * H);
            System.arraycopy(x.wk, 0, qkv, H * H, H * H);
            System.arraycopy(x.wv, 0, qkv, 2 * H * H, H * H);
            float[] qkvBias = new float[3 * H];
            System.arraycopy(x.bq, 0, qkvBias, 0, H);
            System.arraycopy(x.bk, 0, qkvBias, H, H);
            System.arraycopy(x.bv, 0, qkvBias, 2 * H, H);
            layers.add(new BertLayer(PackedMatrix.fromOutputMajor(qkv, H, 3 * H, qkvBias),
                    PackedMatrix.fromOutputMajor(x.wo, H, H, x.bo), new LayerNormWeights(x.g1, x.b1),
                    PackedMatrix.fromOutputMajor(x.wu, H, FFN, x.bu), PackedMatrix.fromOutputMajor(x.wd, FFN, H, x.bd),
                    new LayerNormWeights(x.g2, x.b2)));
        }
        return new Model(new BertEncoder(new BertWeights(new BertConfig(VOCAB, H, LAYERS, HEADS, FFN, POSITIONS, 2, EPS),
                tok, pos, type, new LayerNormWeights(eg, eb), layers), parallel), tok, pos, type, eg, eb, raw);

    }

    private static double[][] reference(int[] ids, float[] tok, float[] pos, float[] type, float[] eg, float[] eb, List<Layer> layers) {
        int len = ids.length;
        double[][] x = new double[len][H];
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < H; i++) {
                x[t][i] = tok[ids[t] * H + i] + pos[t * H + i] + type[i];
            }
            x[t] = layerNorm(x[t], eg, eb);
        }
        int hd = H / HEADS;
        for (Layer l : layers) {
            double[][] q = linear(x, l.wq, l.bq, H);
            double[][] k = linear(x, l.wk, l.bk, H);
            double[][] v = linear(x, l.wv, l.bv, H);
            double[][] ctx = new double[len][H];
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < len; i++) {
                    double[] p = new double[len];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < len; j++) {
                        double dot = 0;
                        for (int d = 0; d < hd; d++) {
                            dot += q[i][h * hd + d] * k[j][h * hd + d];
                        }
                        p[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, p[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < len; j++) {
                        p[j] = Math.exp(p[j] - max);
                        sum += p[j];
                    }
                    for (int d = 0; d < hd; d++) {
                        double acc = 0;
                        for (int j = 0; j < len; j++) {
                            acc += p[j] / sum * v[j][h * hd + d];
                        }
                        ctx[i][h * hd + d] = acc;
                    }
                }
            }
            double[][] attn = linear(ctx, l.wo, l.bo, H);
            for (int t = 0; t < len; t++) {
                for (int i = 0; i < H; i++) {
                    attn[t][i] += x[t][i];
                }
                x[t] = layerNorm(attn[t], l.g1, l.b1);
            }
            double[][] up = linear(x, l.wu, l.bu, FFN);
            for (double[] row : up) {
                for (int i = 0; i < FFN; i++) {
                    row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
                }
            }
            double[][] down = linear(up, l.wd, l.bd, H);
            for (int t = 0; t < len; t++) {
                for (int i = 0; i < H; i++) {
                    down[t][i] += x[t][i];
                }
                x[t] = layerNorm(down[t], l.g2, l.b2);
            }
        }
        return x;
    }

    private static double[][] linear(double[][] x, float[] w, float[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += w[o * in + i] * x[t][i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static double[] layerNorm(double[] x, float[] g, float[] b) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(var + EPS) * g[i] + b[i];
        }
        return y;
    }

    /** erf from its Taylor series; activations here stay well inside |x| < 6 where 200 terms converge. */
    private static double erf(double x) {
        if (Math.abs(x) > 5) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static float[] ones(Random rnd) {
        float[] a = random(rnd, H, 0.2f);
        for (int i = 0; i < H; i++) {
            a[i] += 1;
        }
        return a;
    }

    private static float[] random(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }
}
