package dev.llmplatform.engine.tensor;

import static dev.llmplatform.engine.tensor.Simd.F;
import static dev.llmplatform.engine.tensor.Simd.I;
import static dev.llmplatform.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reading a slice of 8-bit values stored by column pairs ({@link InterleavedQ6K}):
 * 2G bytes, row i's value at column 2p in byte 2i and at column 2p + 1 in byte 2i + 1. The float kernels
 * (several inputs, dequantizing) take a slice as one int per row and split it into the two columns'
 * G floats: a load, a widening and three shifts for two columns, where a column-major slice took a
 * load and a widening per column.
 */
final class ColumnPairs {
    /** G shorts: a slice as one short per row. */
    private static final VectorSpecies<Short> SG = VectorSpecies.of(short.class, VectorShape.forBitSize(InterleavedMatrix.G * 16));

    private ColumnPairs() {
    }

    /** The slice at {@code at}, one int per row: its odd column's value·256 plus its even column's byte. */
    static IntVector asInts(MemorySegment copy, long at) {
        return (IntVector) ShortVector.fromMemorySegment(SG, copy, at, LE).convertShape(VectorOperators.S2I, I, 0);
    }

    /** The even column's values of {@link #asInts}, as floats. */
    static FloatVector even(IntVector v) {
        return (FloatVector) v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24).castShape(F, 0);
    }

    /** The odd column's values of {@link #asInts}, as floats. */
    static FloatVector odd(IntVector v) {
        return (FloatVector) v.lanewise(VectorOperators.ASHR, 8).castShape(F, 0);
    }
}
