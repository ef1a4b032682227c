package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The interleaved copies ({@link InterleavedMatrix}) against the plain kernels on the file layout, on a
 * matrix large enough that decode splits its groups across threads, with rows left over past the last
 * whole group, and with batches that take the four-input path and its remainder.
 */
class InterleavedMatrixTest {

    /** The build's second run of these tests (-XX:MaxVectorSize=32) names the width it must get: see the module's pom. */
    @Test
    void runsAtTheVectorWidthTheBuildAskedFor() {
        String expected = System.getProperty("llmp.test.expectedFloatLanes");
        assumeTrue(expected != null, "no vector width asked for");
        assertThat(InterleavedMatrix.G).isEqualTo(Integer.parseInt(expected));
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void interleavedProductsAgreeWithThePlainKernel(GgmlType type) {
        assumeTrue(RowKernels.simd(), "the Vector API is not available: " + Kernels.implementation());
        int rows = 43 * 16 + 5; // an odd number of groups at both vector widths, and rows left over
        int cols = 512;
        SplittableRandom random = new SplittableRandom(42 + type.ordinal());
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) {
            // Some rows far larger than others, so that per-row scales are told apart.
            weights[i] = (float) (random.nextGaussian() * (1 + (i / cols) % 7));
        }
        try (Arena arena = Arena.ofShared(); ComputeResources resources = new ComputeResources(3)) {
            byte[] bytes = Quantizer.quantize(type, weights);
            MemorySegment data = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
            WeightMatrix w = new WeightMatrix("w", type, data, rows, cols, resources);
            assertThat(w.isInterleaved()).isTrue();
            TypeKernel plain = Kernels.forType(type);
            float[] row = new float[cols];
            for (int batch : new int[] {1, 2, 4, 9}) {
                float[] x = new float[batch * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                float[] out = new float[batch * rows];
                w.matmul(x, batch, out);
                for (int b = 0; b < batch; b++) {
                    for (int r = 0; r < rows; r++) {
                        double expected = plain.dot(data, (long) r * cols, x, b * cols, cols);
                        plain.dequantize(data, (long) r * cols, row, 0, cols);
                        double magnitude = 0;
                        for (int c = 0; c < cols; c++) {
                            magnitude += Math.abs(row[c] * x[b * cols + c]);
                        }
                        // Q4_0, Q4_K and Q6_K decode single inputs quantized to 8 bits (see InterleavedQ4_0,
                        // InterleavedQ4K, InterleavedQ6K);
                        // the batched kernels take them in floats (Q4_0's eight-input one only unless
                        // -Dllmp.integerPrompts=true). Batches of 1 and 2 run single inputs; a batch of 9 ends on one.
                        boolean singleInput = batch < 4 || b >= 8;
                        boolean integerBatch = type == GgmlType.Q4_0 && InterleavedMatrix.INTEGER_PROMPTS && batch >= 8;
                        boolean quantizedDecode = type == GgmlType.Q4_0 || type == GgmlType.Q4_K || type == GgmlType.Q6_K;
                        boolean quantizedInput = quantizedDecode && (singleInput || integerBatch);
                        double tolerance = 1e-5 * magnitude
                                + (quantizedInput ? InputQuantizationBound.of(row, x, b * cols, cols) : 0);
                        assertThat((double) out[b * rows + r]).as("%s batch %d input %d row %d", type, batch, b, r)
                                .isCloseTo(expected, within(tolerance));
                    }
                }
            }
            // Embedding lookups still read the file layout.
            w.dequantizeRow(rows - 1, row, 0);
            float[] expectedRow = new float[cols];
            plain.dequantize(data, (long) (rows - 1) * cols, expectedRow, 0, cols);
            assertThat(row).containsExactly(expectedRow);
        }
    }

    /**
     * The opt-in integer prompt kernel ({@code -Dllmp.integerPrompts=true}) for Q4_0, called directly:
     * eight inputs, the second eight of a batch (an input offset), every group, within the bound of its
     * 8-bit input quantization.
     */
    @org.junit.jupiter.api.Test
    void q4_0IntegerPromptKernelIsWithinTheInputQuantizationBound() {
        assumeTrue(RowKernels.simd(), "the Vector API is not available: " + Kernels.implementation());
        int rows = 4 * 2 * InterleavedMatrix.G;
        int cols = 512;
        SplittableRandom random = new SplittableRandom(7);
        float[] weights = new float[rows * cols];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * (1 + (i / cols) % 5));
        }
        float[] x = new float[16 * cols];
        for (int i = 0; i < x.length; i++) {
            // Inputs with outliers, as activations have: most of a block's range unused.
            x[i] = (float) (random.nextGaussian() * (i % 97 == 0 ? 20 : 1));
        }
        try (ComputeResources resources = new ComputeResources(1)) {
            byte[] bytes = Quantizer.quantize(GgmlType.Q4_0, weights);
            MemorySegment data = MemorySegment.ofArray(bytes);
            InterleavedQ4_0 m = (InterleavedQ4_0) InterleavedMatrix.of(GgmlType.Q4_0, data, rows, cols, resources);
            float[] out = new float[8 * rows];
            m.multiply8Quantized(x, 8 * cols, out, 0, rows, 0, m.groups);
            TypeKernel plain = Kernels.forType(GgmlType.Q4_0);
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                plain.dequantize(data, (long) r * cols, row, 0, cols);
                for (int t = 0; t < 8; t++) {
                    int xOff = (8 + t) * cols;
                    double expected = plain.dot(data, (long) r * cols, x, xOff, cols);
                    double magnitude = 0;
                    for (int c = 0; c < cols; c++) {
                        magnitude += Math.abs(row[c] * x[xOff + c]);
                    }
                    assertThat((double) out[t * rows + r]).as("input %d row %d", t, r)
                            .isCloseTo(expected, within(1e-5 * magnitude + InputQuantizationBound.of(row, x, xOff, cols)));
                }
            }
        }
    }

    /**
     * Q4_0's copy keeps the file's F16 scales and its kernels widen them by moving bits
     * ({@code InterleavedQ4_0.halfScales}): every finite F16, subnormals, zeros and negatives included,
     * must come out exactly as {@link Float#float16ToFloat}, here one per block through {@code dequantize}
     * (the kernels' shared reader), and a non-finite one is refused when packing.
     */
    @org.junit.jupiter.api.Test
    void q4_0CopyReadsEveryFiniteHalfScaleExactly() {
        assumeTrue(RowKernels.simd(), "the Vector API is not available: " + Kernels.implementation());
        int rows = 1024;
        int blocks = 62;
        int cols = 32 * blocks; // rows · blocks = 63 488, the number of finite F16 values
        byte[] bytes = new byte[rows * blocks * 18];
        short[] finite = new short[rows * blocks];
        int n = 0;
        for (int bits = 0; bits < 0x10000; bits++) {
            if ((bits & 0x7C00) != 0x7C00) {
                finite[n++] = (short) bits;
            }
        }
        assertThat(n).isEqualTo(finite.length);
        for (int i = 0; i < finite.length; i++) {
            bytes[18 * i] = (byte) finite[i];
            bytes[18 * i + 1] = (byte) (finite[i] >> 8);
            for (int k = 0; k < 16; k++) {
                bytes[18 * i + 2 + k] = (byte) (37 * i + 11 * k);
            }
        }
        try (ComputeResources resources = new ComputeResources(1)) {
            InterleavedMatrix m = InterleavedMatrix.of(GgmlType.Q4_0, MemorySegment.ofArray(bytes), rows, cols, resources);
            int r = m.groupRows;
            float[] block = new float[32 * r];
            float[] expected = new float[32 * r];
            for (int g = 0; g < m.groups; g++) {
                for (int b = 0; b < blocks; b++) {
                    m.dequantize(g, b, block, 0, r);
                    for (int i = 0; i < r; i++) {
                        int at = (g * r + i) * blocks + b;
                        float d = Float.float16ToFloat(finite[at]);
                        for (int j = 0; j < 32; j++) {
                            int quant = bytes[18 * at + 2 + j % 16] & 0xFF;
                            expected[j * r + i] = d * ((j < 16 ? quant & 0xF : quant >> 4) - 8);
                        }
                    }
                    assertThat(block).as("group %d block %d", g, b).containsExactly(expected);
                }
            }
            bytes[18 * 5 + 1] = (byte) 0x7C; // +infinity
            bytes[18 * 5] = 0;
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> InterleavedMatrix.of(GgmlType.Q4_0, MemorySegment.ofArray(bytes), rows, cols, resources))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite block scale");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void residentSizeIsTheCopysSize(GgmlType type) {
        assumeTrue(RowKernels.simd(), "the Vector API is not available: " + Kernels.implementation());
        int rows = 64;
        int cols = 512;
        long fileBytes = type.byteSize((long) rows * cols);
        try (ComputeResources resources = new ComputeResources(1)) {
            InterleavedMatrix m = InterleavedMatrix.of(type, MemorySegment.ofArray(new byte[(int) fileBytes]), rows, cols, resources);
            assertThat(m.packed.byteSize()).isEqualTo(InterleavedMatrix.residentBytes(type, fileBytes));
            assertThat(WeightMatrix.residentBytes(type, fileBytes)).isEqualTo(m.packed.byteSize());
            // The copy is the owner's: counted against it, and freed when it closes.
            assertThat(resources.allocatedBytes()).isEqualTo(m.packed.byteSize());
            resources.close();
            assertThat(m.packed.scope().isAlive()).isFalse();
            assertThat(resources.allocatedBytes()).isZero();
        }
    }
}
