package dev.llmplatform.engine.tensor;

/**
 * Round-to-nearest helpers shared by the K-quant encoders. They pick per-sub-block scales (and mins)
 * from the sub-block's range, quantize those to the stored integer widths, and then re-quantize the
 * values against the scales as they will be decoded. Simpler than llama.cpp's error-minimising search,
 * within a few percent of its error.
 */
final class KQuantEncoding {
    private KQuantEncoding() {
    }

    /** A float as it reads back after a round trip through F16. */
    static float viaF16(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }

    /**
     * Asymmetric sub-blocks ({@code x ≈ d·sc·q − dmin·m}, {@code 0 ≤ q ≤ maxQ}): fills the integer
     * scales {@code sc}, mins {@code m} (each {@code 0..maxScale}) and quants {@code q}; returns
     * {@code {d, dmin}} as stored (F16-rounded).
     */
    static float[] asymmetric(float[] x, int off, int subBlocks, int subSize, int maxQ, int maxScale,
            int[] sc, int[] m, int[] q) {
        float[] scales = new float[subBlocks];
        float[] mins = new float[subBlocks];
        float maxScaleValue = 0;
        float maxMinValue = 0;
        for (int j = 0; j < subBlocks; j++) {
            float lo = 0;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < subSize; i++) {
                float v = x[off + j * subSize + i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            scales[j] = Math.max(0, hi - lo) / maxQ;
            mins[j] = -lo;
            maxScaleValue = Math.max(maxScaleValue, scales[j]);
            maxMinValue = Math.max(maxMinValue, mins[j]);
        }
        float d = viaF16(maxScaleValue / maxScale);
        float dmin = viaF16(maxMinValue / maxScale);
        for (int j = 0; j < subBlocks; j++) {
            sc[j] = d > 0 ? BlockKernel.clamp(Math.round(scales[j] / d), 0, maxScale) : 0;
            m[j] = dmin > 0 ? BlockKernel.clamp(Math.round(mins[j] / dmin), 0, maxScale) : 0;
            float step = d * sc[j];
            float offset = dmin * m[j];
            for (int i = 0; i < subSize; i++) {
                int e = j * subSize + i;
                q[e] = step > 0 ? BlockKernel.clamp(Math.round((x[off + e] + offset) / step), 0, maxQ) : 0;
            }
        }
        return new float[] {d, dmin};
    }

    /**
     * Symmetric sub-blocks ({@code x ≈ d·sc·q}, {@code −(maxQ+1) ≤ q ≤ maxQ}) with signed integer scales in
     * {@code [−(maxScale+1), maxScale]}: fills {@code sc} and {@code q}; returns {@code d} as stored.
     */
    static float symmetric(float[] x, int off, int subBlocks, int subSize, int maxQ, int maxScale, int[] sc, int[] q) {
        float[] scales = new float[subBlocks];
        float extremeScale = 0;
        for (int j = 0; j < subBlocks; j++) {
            // The sub-block's signed extreme maps to −(maxQ+1), using the wider side of the range.
            scales[j] = BlockKernel.signedAbsMax(x, off + j * subSize, subSize) / -(maxQ + 1);
            if (Math.abs(scales[j]) > Math.abs(extremeScale)) {
                extremeScale = scales[j];
            }
        }
        float d = viaF16(extremeScale / -(maxScale + 1));
        for (int j = 0; j < subBlocks; j++) {
            sc[j] = d != 0 ? BlockKernel.clamp(Math.round(scales[j] / d), -(maxScale + 1), maxScale) : 0;
            float step = d * sc[j];
            for (int i = 0; i < subSize; i++) {
                int e = j * subSize + i;
                q[e] = step != 0 ? BlockKernel.clamp(Math.round(x[off + e] / step), -(maxQ + 1), maxQ) : 0;
            }
        }
        return d;
    }
}
