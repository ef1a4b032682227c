package dev.llmplatform.engine.model;

import dev.llmplatform.engine.gguf.GgufFile;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A deliberately plain double-precision forward pass (whole sequence recomputed, no cache, no
 * batching, textbook formulas), written separately from {@link Transformer} to check the engine's
 * assembly of families that have no llama.cpp reference file.
 */
final class NaiveTransformer {
    /** What differs between families, spelled out independently of the Architecture classes. */
    record Family(boolean neox, boolean scaleEmbeddings, boolean qkNorm, boolean postNorms, boolean gelu,
                  IntPredicate slidingLayer, double localRopeBase) {
    }

    /**
     * The rotation of pair {@code j} at {@code pos} and the factor on cos/sin, where a test spells out a
     * context-extension scheme (llama3, YaRN, LongRoPE) independently of {@link Rope}.
     */
    interface RopeAngles {
        double theta(int pos, int pair);

        default double magnitude() {
            return 1;
        }
    }

    private final GgufFile file;
    private final ModelConfig c;
    private final Family f;
    private final RopeAngles angles;
    private final Map<String, double[][]> matrices = new HashMap<>();

    NaiveTransformer(GgufFile file, Family family) {
        this(file, family, null);
    }

    /** With {@code angles} for the (non-local) layers' rotary embedding instead of the plain linear-scaled one. */
    NaiveTransformer(GgufFile file, Family family, RopeAngles angles) {
        this.file = file;
        this.c = ModelConfig.read(file.metadata(), file.architecture(), 0);
        this.f = family;
        this.angles = angles;
    }

    private double[][] matrix(String name) {
        return matrices.computeIfAbsent(name, this::readMatrix);
    }

    /** Rows {@code from..from+count-1} of a matrix (the parts of phi3's fused projections). */
    private double[][] rows(String name, int from, int count) {
        return java.util.Arrays.copyOfRange(matrix(name), from, from + count);
    }

    private double[][] readMatrix(String name) {
        var tensor = file.requireTensor(name);
        int rows = Math.toIntExact(tensor.rowCount());
        int cols = Math.toIntExact(tensor.rowLength());
        float[] values = tensor.floats();
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                out[r][i] = values[r * cols + i];
            }
        }
        return out;
    }

    private double[] vector(String name) {
        return matrix(name)[0];
    }

    private static double[] mul(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int r = 0; r < w.length; r++) {
            for (int i = 0; i < x.length; i++) {
                y[r] += w[r][i] * x[i];
            }
        }
        return y;
    }

    private double[] rms(double[] x, int from, int n, double[] w) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += x[from + i] * x[from + i];
        }
        double s = 1 / Math.sqrt(ss / n + c.normEps());
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[from + i] * s * w[i];
        }
        return y;
    }

    private void rope(double[] v, int head, int hd, int pos, double base, double scale, RopeAngles scheme) {
        int half = c.ropeDim() / 2;
        double m = scheme != null ? scheme.magnitude() : 1;
        for (int j = 0; j < half; j++) {
            double theta = scheme != null ? scheme.theta(pos, j) : pos * scale * Math.pow(base, -2.0 * j / c.ropeDim());
            int a = head * hd + (f.neox() ? j : 2 * j);
            int b = head * hd + (f.neox() ? j + half : 2 * j + 1);
            double x0 = v[a];
            double x1 = v[b];
            v[a] = m * (x0 * Math.cos(theta) - x1 * Math.sin(theta));
            v[b] = m * (x0 * Math.sin(theta) + x1 * Math.cos(theta));
        }
    }

    /** Logits after every token of {@code tokens}. */
    double[][] logits(int[] tokens) {
        int n = tokens.length;
        int dim = c.dim();
        int hd = c.headDimK();
        double[][] emb = matrix("token_embd.weight");
        double[][] h = new double[n][];
        for (int t = 0; t < n; t++) {
            h[t] = emb[tokens[t]].clone();
            if (f.scaleEmbeddings()) {
                for (int i = 0; i < dim; i++) {
                    h[t][i] *= Math.sqrt(dim);
                }
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            boolean sliding = f.slidingLayer().test(l);
            double base = sliding && f.localRopeBase() > 0 ? f.localRopeBase() : c.ropeBase();
            double scale = sliding && f.localRopeBase() > 0 ? 1 : 1 / c.ropeScaling().factor();
            RopeAngles scheme = sliding && f.localRopeBase() > 0 ? null : angles;
            // phi3 stores Q, K, V as one matrix and gate, up as one: the same rows, split here.
            boolean fused = file.tensor(p + "attn_qkv.weight").isPresent();
            double[][] wq = fused ? rows(p + "attn_qkv.weight", 0, c.queryDim()) : matrix(p + "attn_q.weight");
            double[][] wk = fused ? rows(p + "attn_qkv.weight", c.queryDim(), c.keyDim()) : matrix(p + "attn_k.weight");
            double[][] wv = fused ? rows(p + "attn_qkv.weight", c.queryDim() + c.keyDim(), c.valueDim())
                    : matrix(p + "attn_v.weight");
            double[][] wGate = fused ? rows(p + "ffn_up.weight", 0, c.ffnDim()) : matrix(p + "ffn_gate.weight");
            double[][] wUp = fused ? rows(p + "ffn_up.weight", c.ffnDim(), c.ffnDim()) : matrix(p + "ffn_up.weight");
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] x = rms(h[t], 0, dim, vector(p + "attn_norm.weight"));
                q[t] = mul(wq, x);
                k[t] = mul(wk, x);
                v[t] = mul(wv, x);
                for (int head = 0; head < c.heads(); head++) {
                    if (f.qkNorm()) {
                        System.arraycopy(rms(q[t], head * hd, hd, vector(p + "attn_q_norm.weight")), 0, q[t], head * hd, hd);
                    }
                    rope(q[t], head, hd, t, base, scale, scheme);
                }
                for (int head = 0; head < c.kvHeads(); head++) {
                    if (f.qkNorm()) {
                        System.arraycopy(rms(k[t], head * hd, hd, vector(p + "attn_k_norm.weight")), 0, k[t], head * hd, hd);
                    }
                    rope(k[t], head, hd, t, base, scale, scheme);
                }
            }
            for (int t = 0; t < n; t++) {
                double[] att = new double[c.heads() * hd];
                for (int head = 0; head < c.heads(); head++) {
                    int g = head / (c.heads() / c.kvHeads());
                    double[] w = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        if (sliding && t - s >= c.slidingWindow()) {
                            w[s] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int i = 0; i < hd; i++) {
                            dot += q[t][head * hd + i] * k[s][g * hd + i];
                        }
                        w[s] = dot / Math.sqrt(hd);
                        max = Math.max(max, w[s]);
                    }
                    double z = 0;
                    for (int s = 0; s <= t; s++) {
                        w[s] = Math.exp(w[s] - max);
                        z += w[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int i = 0; i < hd; i++) {
                            att[head * hd + i] += w[s] / z * v[s][g * hd + i];
                        }
                    }
                }
                double[] o = mul(matrix(p + "attn_output.weight"), att);
                if (f.postNorms()) {
                    o = rms(o, 0, dim, vector(p + "post_attention_norm.weight"));
                }
                for (int i = 0; i < dim; i++) {
                    h[t][i] += o[i];
                }
                double[] x = rms(h[t], 0, dim, vector(p + "ffn_norm.weight"));
                double[] gate = mul(wGate, x);
                double[] up = mul(wUp, x);
                for (int i = 0; i < gate.length; i++) {
                    double a = gate[i];
                    double act = f.gelu()
                            ? 0.5 * a * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a * a * a)))
                            : a / (1 + Math.exp(-a));
                    gate[i] = act * up[i];
                }
                double[] down = mul(matrix(p + "ffn_down.weight"), gate);
                if (f.postNorms()) {
                    down = rms(down, 0, dim, vector(p + "post_ffw_norm.weight"));
                }
                for (int i = 0; i < dim; i++) {
                    h[t][i] += down[i];
                }
            }
        }
        double[][] out = file.tensor("output.weight").isPresent() ? matrix("output.weight") : emb;
        double[][] logits = new double[n][];
        for (int t = 0; t < n; t++) {
            logits[t] = mul(out, rms(h[t], 0, dim, vector("output_norm.weight")));
        }
        return logits;
    }
}
