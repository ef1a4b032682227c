package dev.llmplatform.guardrails.injection;

/**
 * The classifier's input for one text: the sentence embedding (dense) followed by hashed lexical
 * features (sparse: sorted indices into {@code lexicalDims} buckets and their values).
 */
public record FeatureVector(float[] dense, int[] index, float[] value) {
    public FeatureVector {
        if (index.length != value.length) {
            throw new IllegalArgumentException("sparse indices and values differ in length");
        }
    }

    /** {@code w·x + bias} where {@code w} holds the dense weights, then the sparse ones, then the bias. */
    double dot(double[] w) {
        int d = dense.length;
        double z = w[w.length - 1];
        for (int j = 0; j < d; j++) {
            z += w[j] * dense[j];
        }
        for (int j = 0; j < index.length; j++) {
            z += w[d + index[j]] * value[j];
        }
        return z;
    }

    /** {@code grad += g * x}, bias included. */
    void addScaled(double[] grad, double g) {
        int d = dense.length;
        for (int j = 0; j < d; j++) {
            grad[j] += g * dense[j];
        }
        for (int j = 0; j < index.length; j++) {
            grad[d + index[j]] += g * value[j];
        }
        grad[grad.length - 1] += g;
    }
}
