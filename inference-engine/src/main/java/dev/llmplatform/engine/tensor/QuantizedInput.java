package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.L;
import static dev.llmplatform.engine.tensor.Simd.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An input quantized to 8 bits per block of 32 ({@code x ≈ scale·q}, {@code scale = max|x|/127}, as
 * llama.cpp's q8 inputs), for {@link InterleavedQ4_0}'s and {@link InterleavedQ4K}'s integer kernels, which
 * multiply it by 4-bit weights in 16-bit lanes. Kept per thread and reused across calls. Vector calls here
 * are made on fresh vectors, never on one carried around a loop: C2 would bind such a call by the JDK
 * method's process-wide type profile, which after a prompt phase had no receiver data, so the call stayed
 * virtual and boxed every vector (docs/benchmarks.md).
 */
final class QuantizedInput {
    static final int BLOCK = 32;
    private static final float ROUNDING = 0x1.8p23f;

    /** The quantized values, |q| ≤ 127, one short each (ready for 16-bit broadcasts). */
    short[] q = new short[0];
    /** Per block: the scale. */
    float[] scale = new float[0];
    /** Per block: Σq, |Σq| ≤ 32·127. */
    short[] sum = new short[0];

    void quantize(float[] x, int xOff, int cols) {
        int blocks = cols / BLOCK;
        if (q.length < cols) {
            q = new short[cols];
        }
        if (scale.length < blocks) {
            scale = new float[blocks];
            sum = new short[blocks];
        }
        for (int b = 0; b < blocks; b++) {
            int from = xOff + b * BLOCK;
            FloatVector max = FloatVector.fromArray(F, x, from).abs();
            for (int i = L; i < BLOCK; i += L) {
                max = FloatVector.fromArray(F, x, from + i).abs().max(max);
            }
            float d = FloatVector.zero(F).max(max).reduceLanes(VectorOperators.MAX) / 127;
            float inverse = d == 0 ? 0 : 1 / d;
            FloatVector total = FloatVector.zero(F);
            for (int i = 0; i < BLOCK; i += L) {
                // Round to nearest by adding and removing 1.5·2²³, then convert the whole floats.
                FloatVector v = FloatVector.fromArray(F, x, from + i).mul(inverse).add(ROUNDING).sub(ROUNDING);
                total = v.add(total);
                ((ShortVector) v.convertShape(VectorOperators.F2S, S, 0)).intoArray(q, b * BLOCK + i);
            }
            scale[b] = d;
            sum[b] = (short) (int) FloatVector.zero(F).add(total).reduceLanes(VectorOperators.ADD);
        }
    }
}
