package dev.llmplatform.guardrails.pii;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A softmax (multinomial logistic) layer from a token's contextual encoder state ({@link EncoderTokenStates}) to
 * the tagger's BIO tags: what the surrounding words say a token is, which the tagger's sparse features cannot see
 * ("Lake Hollyview", "Bergmann & Söhne" in a sentence about where someone lives or whom they work for). Its
 * log-probabilities, scaled by {@link #weight()}, are added to the tagger's per-token tag scores before Viterbi.
 * Immutable and thread-safe.
 */
public final class ContextualTagHead {
    static final String RESOURCE = "pii-context-head.bin.gz";
    private static final String MAGIC = "llmp-pii-context-head/1";

    private final String[] tags;
    private final int layers;
    private final int dimension;
    /** [tag][dimension + 1]: the last column is the bias. */
    private final float[][] w;
    private final double weight;
    private final String provenance;

    ContextualTagHead(String[] tags, int layers, float[][] w, double weight, String provenance) {
        this.tags = tags;
        this.layers = layers;
        this.dimension = w[0].length - 1;
        this.w = w;
        this.weight = weight;
        this.provenance = provenance;
    }

    /** The head shipped with the guardrails. */
    static ContextualTagHead bundled() {
        try (InputStream in = ContextualTagHead.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("pii/" + RESOURCE + " is missing from the class path (train it: llmp train-pii-tagger --context-head)");
            }
            return read(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String[] tags() {
        return tags;
    }

    /** Encoder blocks the states come from. */
    int layers() {
        return layers;
    }

    /** Scale of the log-probabilities added to the tagger's scores. */
    double weight() {
        return weight;
    }

    String provenance() {
        return provenance;
    }

    /** weight × log p(tag | state) per token and tag; zeros for a token without a state. */
    double[][] bias(TokenVectors states) {
        double[][] out = new double[states.size()][tags.length];
        for (int i = 0; i < states.size(); i++) {
            if (states.has(i)) {
                double[] p = out[i];
                logProbabilities(states.arrays()[i], states.offsets()[i], p);
                for (int t = 0; t < tags.length; t++) {
                    p[t] *= weight;
                }
            }
        }
        return out;
    }

    double[] logProbabilities(float[] x) {
        double[] z = new double[tags.length];
        logProbabilities(x, 0, z);
        return z;
    }

    /** log p(tag | the state at {@code x[off, off + dimension)}) into {@code z}. */
    private void logProbabilities(float[] x, int off, double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < tags.length; t++) {
            z[t] = w[t][dimension] + dot(w[t], x, off, dimension);
            max = Math.max(max, z[t]);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        for (int t = 0; t < z.length; t++) {
            z[t] -= log;
        }
    }

    /** Four partial sums, so the products of one dot product do not wait on each other (a tenth of a check's time otherwise). */
    private static float dot(float[] a, float[] b, int off, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[off + j];
            s1 += a[j + 1] * b[off + j + 1];
            s2 += a[j + 2] * b[off + j + 2];
            s3 += a[j + 3] * b[off + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[off + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Plain SGD on the cross-entropy with a small L2 penalty, visiting the examples in an order drawn from
     * {@code seed}; single-threaded, so the same inputs give the same weights.
     */
    static ContextualTagHead train(String[] tags, int layers, List<float[]> raw, int[] gold, int epochs, long seed, double weight,
                                   String provenance) {
        int d = raw.getFirst().length;
        int k = tags.length;
        // Standardised inputs (a few dimensions of the encoder's states are far larger than the rest) let one
        // learning rate suit every weight; the scaling is folded back into the weights at the end.
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (float[] x : raw) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[j];
                scale[j] += (double) x[j] * x[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= raw.size();
            scale[j] = 1 / Math.sqrt(Math.max(1e-6, scale[j] / raw.size() - mean[j] * mean[j]));
        }
        List<float[]> states = new java.util.ArrayList<>(raw.size());
        for (float[] x : raw) {
            float[] z = new float[d];
            for (int j = 0; j < d; j++) {
                z[j] = (float) ((x[j] - mean[j]) * scale[j]);
            }
            states.add(z);
        }
        float[][] w = new float[k][d + 1];
        Random random = new Random(seed);
        int[] order = new int[states.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        ContextualTagHead head = new ContextualTagHead(tags, layers, w, weight, provenance);
        double lambda = 1e-6;
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int idx : order) {
                double rate = 0.01 / (1 + step++ * 1e-5);
                float[] x = states.get(idx);
                double[] p = head.logProbabilities(x);
                for (int t = 0; t < k; t++) {
                    double g = Math.exp(p[t]) - (gold[idx] == t ? 1 : 0);
                    float[] row = w[t];
                    for (int j = 0; j < d; j++) {
                        row[j] -= (float) (rate * (g * x[j] + lambda * row[j]));
                    }
                    row[d] -= (float) (rate * g);
                }
            }
        }
        for (float[] row : w) {
            double bias = row[d];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (row[j] * scale[j]);
                bias -= row[j] * mean[j];
            }
            row[d] = (float) bias;
        }
        return head;
    }

    void write(OutputStream raw) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
            out.writeUTF(MAGIC);
            out.writeUTF(provenance);
            out.writeInt(layers);
            out.writeDouble(weight);
            out.writeInt(tags.length);
            for (String t : tags) {
                out.writeUTF(t);
            }
            out.writeInt(dimension);
            for (float[] row : w) {
                for (float v : row) {
                    out.writeFloat(v);
                }
            }
        }
    }

    static ContextualTagHead read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a PII context head (expected " + MAGIC + ")");
        }
        String provenance = in.readUTF();
        int layers = in.readInt();
        double weight = in.readDouble();
        String[] tags = new String[in.readInt()];
        for (int t = 0; t < tags.length; t++) {
            tags[t] = in.readUTF();
        }
        int d = in.readInt();
        float[][] w = new float[tags.length][d + 1];
        for (float[] row : w) {
            for (int j = 0; j <= d; j++) {
                row[j] = in.readFloat();
            }
        }
        return new ContextualTagHead(tags, layers, w, weight, provenance);
    }
}
