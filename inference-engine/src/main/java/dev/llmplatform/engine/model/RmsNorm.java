package dev.llmplatform.engine.model;

/**
 * Root-mean-square normalisation with a learned per-element scale. Gemma's "(1 + w)" form needs no
 * special case: its GGUF converter already stores {@code 1 + w}.
 */
public record RmsNorm(float[] weight, float eps) {

    public int size() {
        return weight.length;
    }

    /** {@code out[outOff+i] = x[xOff+i] / rms(x) · weight[i]} over {@link #size()} elements. */
    public void apply(float[] x, int xOff, float[] out, int outOff) {
        int n = weight.length;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            ss += v * v;
        }
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[i];
        }
    }

    /** Normalises {@code rows} consecutive vectors of {@link #size()} elements in place. */
    public void applyRows(float[] x, int off, int rows) {
        for (int r = 0; r < rows; r++) {
            apply(x, off + r * weight.length, x, off + r * weight.length);
        }
    }
}
