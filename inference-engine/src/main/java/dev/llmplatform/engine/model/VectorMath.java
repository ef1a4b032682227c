package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.Simd;
import dev.llmplatform.engine.tensor.VectorExp;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD helpers for the activation-side arithmetic of attention (weights go through WeightMatrix, the cache through KvCache). */
final class VectorMath {
    private static final VectorSpecies<Float> S = Simd.F;

    private VectorMath() {
    }

    /** x[off+i] *= factor. */
    static void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= factor;
        }
    }

    /** {@code n} rounded up to whole vectors: the lengths the score helpers below work over. */
    static int paddedLength(int n) {
        return S.loopBound(n + S.length() - 1);
    }

    /**
     * Attention scores of one row, in place: {@code s[off+i]·scale}, or with a soft cap
     * {@code cap·tanh(s[off+i]·scale/cap)}, for i &lt; n; the rest of the row up to {@code width} (a
     * multiple of the vector length, ≥ paddedLength(n)) is set to −∞, so that whole vectors need no tail
     * and masked keys weigh 0 after {@link #expShifted}.
     */
    static void scaleScores(float[] s, int off, int n, int width, float scale, float cap) {
        int padded = paddedLength(n);
        for (int i = 0; i < padded; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, s, off + i).mul(scale);
            if (cap > 0) {
                v = VectorExp.tanh(v.div(cap)).mul(cap);
            }
            v.intoArray(s, off + i);
        }
        Arrays.fill(s, off + n, off + width, Float.NEGATIVE_INFINITY);
    }

    /** The largest of {@code s[off..off+width)}, {@code width} a multiple of the vector length. */
    static float max(float[] s, int off, int width) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < width; i += S.length()) {
            max = FloatVector.fromArray(S, s, off + i).max(max);
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    /**
     * Softmax weights of one row, in place: {@code s[off+i] = exp(s[off+i] − max)} over {@code width}
     * values (a multiple of the vector length; −∞ becomes 0); returns their sum. The exponentials are
     * {@link VectorExp}'s: a scalar {@code Math.exp} per score made attention's softmax cost more than its
     * dot products.
     */
    static float expShifted(float[] s, int off, int width, float max) {
        FloatVector sum = FloatVector.zero(S);
        for (int i = 0; i < width; i += S.length()) {
            FloatVector w = VectorExp.exp(FloatVector.fromArray(S, s, off + i).sub(max));
            w.intoArray(s, off + i);
            sum = w.add(sum);
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
