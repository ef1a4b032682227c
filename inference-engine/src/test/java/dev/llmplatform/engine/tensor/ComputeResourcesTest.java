package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A model's weight copies live in its own arena and die with it, not whenever the GC runs. */
class ComputeResourcesTest {

    @Test
    void closingFreesTheInterleavedCopiesAndLaterProductsFailClearly() {
        assumeTrue(RowKernels.simd(), "the Vector API is not available: " + Kernels.implementation());
        int rows = 128;
        int cols = 256;
        float[] values = new float[rows * cols];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        byte[] bytes = Quantizer.quantize(GgmlType.Q8_0, values);
        try (Arena file = Arena.ofShared()) {
            MemorySegment data = file.allocate(bytes.length, 64);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
            ComputeResources resources = new ComputeResources(2);
            WeightMatrix w = new WeightMatrix("w", GgmlType.Q8_0, data, rows, cols, resources);
            w.prepare();
            MemorySegment copy = w.interleavedCopy();
            assertThat(copy).isNotNull();
            assertThat(resources.allocatedBytes()).isEqualTo(copy.byteSize())
                    .isEqualTo(WeightMatrix.residentBytes(GgmlType.Q8_0, bytes.length));
            float[] x = new float[cols];
            float[] out = new float[rows];
            w.matvec(x, out);

            resources.close();
            resources.close(); // idempotent
            assertThat(copy.scope().isAlive()).as("the copy is freed at close").isFalse();
            assertThat(resources.allocatedBytes()).isZero();
            assertThat(resources.parallel().isClosed()).isTrue();
            assertThatThrownBy(() -> w.matvec(x, out)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(data.scope().isAlive()).as("the file's memory is not the resources' to free").isTrue();
        }
    }
}
