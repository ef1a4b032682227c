package dev.llmplatform.guardrails.injection;

import java.util.List;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares):
 * exact, deterministic and fast at a few hundred dimensions and a few thousand rows. Classes are
 * weighted so that each contributes equally, whatever their counts.
 */
public final class LogisticRegression {
    private LogisticRegression() {
    }

    /** Returns {@code dim + 1} coefficients: the weights, then the bias. */
    public static double[] fit(List<float[]> x, boolean[] y, double l2, int iterations) {
        int n = x.size();
        int d = x.getFirst().length;
        int p = d + 1;
        int positives = 0;
        for (boolean b : y) {
            positives += b ? 1 : 0;
        }
        double wPos = n / (2.0 * Math.max(1, positives));
        double wNeg = n / (2.0 * Math.max(1, n - positives));
        double[] beta = new double[p];
        double[] row = new double[p];
        for (int it = 0; it < iterations; it++) {
            double[] grad = new double[p];
            double[][] hess = new double[p][p];
            for (int i = 0; i < n; i++) {
                float[] xi = x.get(i);
                for (int j = 0; j < d; j++) {
                    row[j] = xi[j];
                }
                row[d] = 1;
                double z = 0;
                for (int j = 0; j < p; j++) {
                    z += beta[j] * row[j];
                }
                double mu = 1 / (1 + Math.exp(-z));
                double cw = y[i] ? wPos : wNeg;
                double r = cw * (mu - (y[i] ? 1 : 0));
                double w = cw * Math.max(mu * (1 - mu), 1e-9);
                for (int j = 0; j < p; j++) {
                    grad[j] += r * row[j];
                    double wr = w * row[j];
                    double[] hj = hess[j];
                    for (int k = 0; k <= j; k++) {
                        hj[k] += wr * row[k];
                    }
                }
            }
            for (int j = 0; j < d; j++) { // the bias is not regularised
                grad[j] += l2 * beta[j];
                hess[j][j] += l2;
            }
            hess[d][d] += 1e-9;
            double[] step = solveSymmetric(hess, grad);
            double change = 0;
            for (int j = 0; j < p; j++) {
                beta[j] -= step[j];
                change = Math.max(change, Math.abs(step[j]));
            }
            if (change < 1e-6) {
                break;
            }
        }
        return beta;
    }

    /** Solves H s = g by Cholesky; H is symmetric positive definite, its lower triangle filled. */
    static double[] solveSymmetric(double[][] h, double[] g) {
        int p = g.length;
        double[][] l = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = h[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    l[i][i] = Math.sqrt(Math.max(s, 1e-12));
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] z = new double[p];
        for (int i = 0; i < p; i++) {
            double s = g[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * z[k];
            }
            z[i] = s / l[i][i];
        }
        double[] out = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < p; k++) {
                s -= l[k][i] * out[k];
            }
            out[i] = s / l[i][i];
        }
        return out;
    }

    public static double probability(double[] beta, float[] x) {
        double z = beta[x.length];
        for (int j = 0; j < x.length; j++) {
            z += beta[j] * x[j];
        }
        return 1 / (1 + Math.exp(-z));
    }
}
