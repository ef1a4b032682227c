package dev.llmplatform.engine.encoder;

import org.junit.jupiter.api.AutoClose;
import dev.llmplatform.engine.tensor.Parallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The register-blocked kernel against a plain triple loop, on shapes that exercise every edge path. */
class F32GemmTest {
    @AutoClose
    private final Parallel parallel = new Parallel(3);


    @Test
    void matchesNaiveProductForOddShapes() {
        Random rnd = new Random(5);
        // rows not a multiple of the row block, outputs not a multiple of the panel width (partial panels),
        // single rows and single outputs.
        int[][] shapes = {{1, 7, 5}, {5, 33, 50}, {13, 64, 100}, {29, 384, 384}, {7, 40, 1}, {64, 17, 97}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            float[] a = random(rnd, m * k);
            float[] w = random(rnd, k * n);
            float[] bias = random(rnd, n);
            float[] expected = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = bias[j];
                    for (int kk = 0; kk < k; kk++) {
                        s += (double) a[i * k + kk] * w[kk * n + j];
                    }
                    expected[i * n + j] = (float) s;
                }
            }
            float[] c = new float[m * n];
            F32Gemm.multiply(parallel, a, m, PackedMatrix.fromInputMajor(w, k, n, bias), F32Gemm.Activation.NONE, c);
            for (int i = 0; i < c.length; i++) {
                assertThat(c[i]).as("%s at %d", java.util.Arrays.toString(shape), i).isCloseTo(expected[i], within(1e-4f * k));
            }
            // The output-major (GGUF) layout packs to the same matrix.
            float[] outputMajor = PackedMatrix.fromInputMajor(w, k, n, bias).toOutputMajor();
            float[] c2 = new float[m * n];
            F32Gemm.multiply(parallel, a, m, PackedMatrix.fromOutputMajor(outputMajor, k, n, bias), F32Gemm.Activation.NONE, c2);
            assertThat(c2).containsExactly(c);
        }
    }

    @Test
    void geluIsTheErfForm() {
        float[] x = new float[2001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 1000) / 100f;
        }
        float[] y = x.clone();
        F32Gemm.geluInPlace(y, 0, y.length);
        for (int i = 0; i < x.length; i++) {
            double exact = 0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2)));
            assertThat((double) y[i]).as("gelu(%s)", x[i]).isCloseTo(exact, within(1e-6 + 1e-6 * Math.abs(exact)));
        }
        assertThat(y[1000]).isZero(); // gelu(0)
    }

    /** erf by its Taylor series (|x| ≤ 3) or asymptotic complement: a reference independent of the kernel's. */
    private static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax <= 3) {
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) ≈ e^{-x²}/(x√π) · (1 - 1/(2x²) + 3/(4x⁴) - 15/(8x⁶))
            double x2 = ax * ax;
            r = 1 - Math.exp(-x2) / (ax * Math.sqrt(Math.PI)) * (1 - 1 / (2 * x2) + 3 / (4 * x2 * x2) - 15 / (8 * x2 * x2 * x2));
        }
        return Math.signum(x) * r;
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
