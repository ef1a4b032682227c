package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fast row kernels (Vector API where the JVM and CPU allow it) against the plain kernels, through
 * {@link WeightMatrix} on the file layout (the interleaved copies have {@link InterleavedMatrixTest}): one
 * input (decode) and batches that exercise the four-at-a-time path and its remainder, on several threads.
 */
class SimdKernelTest {

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q6_K", "Q5_K", "Q2_K"})
    void matmulAgreesWithThePlainKernel(GgmlType type) {
        int rows = 37;
        int cols = type.isQuantized() ? 512 : 200; // 200 is not a multiple of the vector width
        SplittableRandom random = new SplittableRandom(type.ordinal());
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        try (Arena arena = Arena.ofShared(); ComputeResources resources = new ComputeResources(3)) {
            byte[] bytes = Quantizer.quantize(type, weights);
            MemorySegment data = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
            WeightMatrix w = new WeightMatrix("w", type, data, rows, cols, resources, false);
            TypeKernel plain = Kernels.forType(type);
            for (int batch : new int[] {1, 4, 7}) {
                float[] x = new float[batch * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                float[] out = new float[batch * rows];
                w.matmul(x, batch, out);
                for (int b = 0; b < batch; b++) {
                    for (int r = 0; r < rows; r++) {
                        double expected = plain.dot(data, (long) r * cols, x, b * cols, cols);
                        double magnitude = 0;
                        float[] row = new float[cols];
                        plain.dequantize(data, (long) r * cols, row, 0, cols);
                        for (int c = 0; c < cols; c++) {
                            magnitude += Math.abs(row[c] * x[b * cols + c]);
                        }
                        assertThat((double) out[b * rows + r]).as("%s batch %d input %d row %d (%s)", type, batch, b, r,
                                Kernels.implementation()).isCloseTo(expected, within(1e-5 * magnitude));
                    }
                }
            }
        }
    }

    @Test
    void f16ConversionKeepsSignsSubnormalsAndExtremes() {
        short[] halves = {0x0000, (short) 0x8000, 0x0001, (short) 0x83FF, 0x3C00, (short) 0xBC00, 0x7BFF, (short) 0xFBFF,
            0x0400, 0x3555, 0x1234, (short) 0x9876, 0x7000, 0x0200, 0x4248, (short) 0xC248};
        int cols = 64;
        MemorySegment data = MemorySegment.ofArray(new short[cols]);
        for (int i = 0; i < cols; i++) {
            data.setAtIndex(Layouts.SHORT, i, halves[i % halves.length]);
        }
        RowKernel fast = RowKernels.forType(GgmlType.F16);
        for (int i = 0; i < cols; i++) {
            float[] onehot = new float[cols];
            onehot[i] = 1;
            float expected = Float.float16ToFloat(halves[i % halves.length]);
            assertThat(fast.dot(data, 0, onehot, 0, cols)).as("element %d (0x%04x)", i, halves[i % halves.length])
                    .isEqualTo(expected);
        }
    }
}
