package dev.llmplatform.engine.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species the SIMD kernels use: floats at the CPU's preferred width (16 lanes with AVX-512,
 * 8 with AVX2) and byte, short and int species with the same lane count, so that a load of
 * {@code L} quantized values converts lane for lane into {@code L} floats. Only touched once
 * {@link SimdKernels#available()} has confirmed the incubator module is present.
 */
final class Simd {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final VectorSpecies<Short> S = L >= 4 ? VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, L * 16))) : null;
    static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
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
