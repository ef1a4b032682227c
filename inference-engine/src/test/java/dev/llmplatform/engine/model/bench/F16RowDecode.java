package dev.llmplatform.engine.model.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Which way of reading an F16 cache row is fastest for the attention q·k dot: (a) Float.float16ToFloat
 * into a float scratch row then a FloatVector dot, (b) the half→float bit conversion done with IntVector
 * lanes into the scratch, (c) that conversion fused with the FMA in registers; (f32) the dot over a float
 * row, as the bound. Prints ns per row.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp inference-engine/target/classes:inference-engine/target/test-classes \
 *   dev.llmplatform.engine.model.bench.F16RowDecode [HEAD_DIM=64] [POSITIONS=1500]
 * </pre>
 */
public final class F16RowDecode {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.length() * 16));

    private F16RowDecode() {
    }

    public static void main(String[] args) {
        int hd = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int positions = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        SplittableRandom r = new SplittableRandom(1);
        float[] keys = new float[hd * positions];
        short[] half = new short[hd * positions];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) r.nextGaussian();
            half[i] = Float.floatToFloat16(keys[i]);
        }
        float[] q = new float[hd];
        for (int i = 0; i < hd; i++) {
            q[i] = (float) r.nextGaussian();
        }
        float[] row = new float[hd];
        float[] scores = new float[positions];
        // The vector conversion must agree with Float.float16ToFloat, including subnormals, inf and NaN.
        short[] probe = {0, (short) 0x8000, 1, (short) 0x83ff, 0x3c00, 0x7bff, 0x7c00, (short) 0xfc00, 0x7e00, 0x0400, (short) 0xc000, 0x3555, 0, 0, 0, 0};
        float[] converted = new float[probe.length];
        for (int off = 0; off + S.length() <= probe.length; off += S.length()) {
            decodeVector(probe, off, converted, off, S.length());
        }
        for (int i = 0; i < probe.length - probe.length % S.length(); i++) {
            if (Float.floatToRawIntBits(converted[i]) != Float.floatToRawIntBits(Float.float16ToFloat(probe[i]))
                    && !(Float.isNaN(converted[i]) && Float.isNaN(Float.float16ToFloat(probe[i])))) {
                throw new AssertionError("vector conversion of " + Integer.toHexString(probe[i] & 0xffff) + " gave " + converted[i]);
            }
        }
        for (int round = 0; round < 3; round++) {
            time("f32 dot", positions, () -> {
                for (int t = 0; t < positions; t++) {
                    scores[t] = dot(q, keys, t * hd, hd);
                }
            });
            time("(a) float16ToFloat row + dot", positions, () -> {
                for (int t = 0; t < positions; t++) {
                    for (int i = 0; i < hd; i++) {
                        row[i] = Float.float16ToFloat(half[t * hd + i]);
                    }
                    scores[t] = dot(q, row, 0, hd);
                }
            });
            time("(b) vector-converted row + dot", positions, () -> {
                for (int t = 0; t < positions; t++) {
                    decodeVector(half, t * hd, row, 0, hd);
                    scores[t] = dot(q, row, 0, hd);
                }
            });
            time("(c) fused convert + fma", positions, () -> {
                for (int t = 0; t < positions; t++) {
                    scores[t] = dotHalf(q, half, t * hd, hd);
                }
            });
        }
    }

    private static void time(String name, int positions, Runnable body) {
        int reps = 2000;
        for (int i = 0; i < reps / 4; i++) {
            body.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            body.run();
        }
        double ns = (System.nanoTime() - t0) / (double) reps / positions;
        System.out.printf(Locale.ROOT, "%-32s %6.2f ns/row%n", name, ns);
    }

    static float dot(float[] a, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            acc = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Half-precision bits (sign-extended in int lanes) to float lanes. */
    static FloatVector toFloats(ShortVector h) {
        IntVector bits = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector magnitude = bits.and(0x7fff);
        // Exponent rebias by a multiply: exact for normals, subnormals and zero.
        FloatVector f = magnitude.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
        IntVector out = f.reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7c00);
        out = out.blend(magnitude.lanewise(VectorOperators.LSHL, 13).or(0x7f800000), special);
        return out.or(sign).reinterpretAsFloats();
    }

    static void decodeVector(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i += F.length()) {
            toFloats(ShortVector.fromArray(S, src, srcOff + i)).intoArray(dst, dstOff + i);
        }
    }

    static float dotHalf(float[] q, short[] half, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < n; i += F.length()) {
            acc = FloatVector.fromArray(F, q, i).fma(toFloats(ShortVector.fromArray(S, half, off + i)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
