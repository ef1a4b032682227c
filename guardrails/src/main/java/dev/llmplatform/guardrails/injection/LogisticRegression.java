package dev.llmplatform.guardrails.injection;

import java.util.List;

/**
 * L2-regularised logistic regression over dense + sparse features, fitted by full-batch gradient
 * descent with heavy-ball momentum: deterministic (no sampling), and cheap at a few thousand sparse
 * dimensions where Newton's method would need a dense Hessian. Classes are weighted so that each
 * contributes equally, whatever their counts. Objective: (1/n)·(Σ classWeight·logLoss + l2/2·|w|²), bias
 * unregularised.
 */
public final class LogisticRegression {
    static final int ITERATIONS = 800;
    static final double STEP = 2.0;
    static final double MOMENTUM = 0.9;

    private LogisticRegression() {
    }

    /** Returns {@code dense + sparseDims + 1} coefficients: dense weights, sparse weights, then the bias. */
    public static double[] fit(List<FeatureVector> x, boolean[] y, int sparseDims, double l2) {
        int n = x.size();
        int p = x.getFirst().dense().length + sparseDims + 1;
        int positives = 0;
        for (boolean b : y) {
            positives += b ? 1 : 0;
        }
        double wPos = n / (2.0 * Math.max(1, positives));
        double wNeg = n / (2.0 * Math.max(1, n - positives));
        double[] beta = new double[p];
        double[] velocity = new double[p];
        double[] grad = new double[p];
        for (int it = 0; it < ITERATIONS; it++) {
            java.util.Arrays.fill(grad, 0);
            for (int i = 0; i < n; i++) {
                FeatureVector xi = x.get(i);
                double mu = sigmoid(xi.dot(beta));
                double g = (y[i] ? wPos : wNeg) * (mu - (y[i] ? 1 : 0)) / n;
                xi.addScaled(grad, g);
            }
            for (int j = 0; j < p - 1; j++) {
                grad[j] += l2 * beta[j] / n;
            }
            for (int j = 0; j < p; j++) {
                velocity[j] = MOMENTUM * velocity[j] + grad[j];
                beta[j] -= STEP * velocity[j];
            }
            centerSparse(beta, p - 1 - sparseDims, sparseDims);
        }
        return beta;
    }

    /**
     * Keeps the sparse weights at zero mean (a projected gradient step). The sum of a text's sparse values grows
     * with the number of distinct features it has, so a positive mean weight would score long texts as positives
     * whatever their words; with zero mean only which buckets a text touches counts.
     */
    static void centerSparse(double[] beta, int from, int count) {
        if (count == 0) {
            return;
        }
        double mean = 0;
        for (int j = from; j < from + count; j++) {
            mean += beta[j];
        }
        mean /= count;
        for (int j = from; j < from + count; j++) {
            beta[j] -= mean;
        }
    }

    public static double probability(double[] beta, FeatureVector x) {
        return sigmoid(x.dot(beta));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
