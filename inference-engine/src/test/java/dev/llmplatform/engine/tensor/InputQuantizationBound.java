package dev.llmplatform.engine.tensor;

/**
 * How far a product may move when its input is quantized to 8 bits per block of 32, as the Q4_0
 * decode kernel does ({@code x ≈ d·round(x/d)}, {@code d = max|x|/127}): each input moves by at most
 * {@code d/2}, so the product moves by at most {@code Σ_blocks d/2 · Σ|w|} (with a little room for
 * float rounding).
 */
final class InputQuantizationBound {
    private InputQuantizationBound() {
    }

    static double of(float[] row, float[] x, int xOff, int cols) {
        double bound = 0;
        for (int b = 0; b < cols; b += 32) {
            double max = 0;
            double weights = 0;
            for (int i = b; i < b + 32; i++) {
                max = Math.max(max, Math.abs(x[xOff + i]));
                weights += Math.abs(row[i]);
            }
            bound += max / 127 / 2 * weights;
        }
        return 1.01 * bound;
    }
}
