package dev.llmplatform.engine.tensor;

/**
 * One input quantized to 8 bits per block of 32 ({@link QuantizedInput}), and its values by pairs as the
 * column-pair decode ({@link InterleavedQ6K}) broadcasts them: {@code xq[2p]} in
 * the low 16 bits of {@code pairs[p]}, {@code xq[2p + 1]} in the high ones, so that one 32-bit broadcast
 * puts the pair in every two 16-bit lanes. Kept per thread and reused across calls.
 */
final class PairedInput {
    final QuantizedInput input = new QuantizedInput();
    int[] pairs = new int[0];

    void quantize(float[] x, int xOff, int cols) {
        input.quantize(x, xOff, cols);
        if (pairs.length < cols / 2) {
            pairs = new int[cols / 2];
        }
        short[] q = input.q;
        for (int p = 0; p < cols / 2; p++) {
            pairs[p] = (q[2 * p] & 0xFFFF) | q[2 * p + 1] << 16;
        }
    }
}
