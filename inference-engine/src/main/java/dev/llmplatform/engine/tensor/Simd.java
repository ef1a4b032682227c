package dev.llmplatform.engine.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The engine's one choice of vector width: floats at the CPU's preferred width (16 lanes with AVX-512,
 * 8 with AVX2, or what {@code -XX:MaxVectorSize} allows) and byte, short and int species with the same
 * lane count, so that a load of {@code L} quantized values converts lane for lane into {@code L} floats.
 * Every vectorised class (weight kernels, KV cache maths, norms, the encoder) takes its species from
 * here, so all of them run at one width. The weight kernels are only registered once {@link RowKernels}
 * has found the incubator module; the other users need it anyway.
 */
public final class Simd {
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final int L = F.length();
    public static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Shorts and bytes with one lane per float lane; null where such a shape does not exist. */
    public static final VectorSpecies<Short> S = L >= 4 ? VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16))) : null;
    public static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Simd() {
    }

    /** The kernels need byte species of L lanes (64 bits at least) and L dividing 16. */
    static boolean usable() {
        return L >= 8 && L <= 16 && B.length() == L && S.length() == L;
    }

    static String describe() {
        return F.vectorBitSize() + "-bit (" + L + " floats)";
    }

}
