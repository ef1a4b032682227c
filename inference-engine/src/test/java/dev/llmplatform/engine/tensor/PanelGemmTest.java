package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The prompt GEMM ({@link PanelGemm}) against a double-precision product of the file's weights, for
 * each common type: from the interleaved copy and from the file layout, with a partial last panel,
 * rows past the interleaved copy's last group (the copy's own rows read from nowhere else), a batch
 * that is not a multiple of six, one column block and several. Runs at the JVM's vector width;
 * {@code -XX:MaxVectorSize=32} in the argLine runs the 256-bit kernel (see docs/benchmarks.md).
 */
class PanelGemmTest {

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q5_0"})
    void panelProductsMatchADoublePrecisionProduct(GgmlType type) {
        assumeTrue(RowKernels.simd(), "the Vector API is not available: " + Kernels.implementation());
        SplittableRandom random = new SplittableRandom(7 + type.ordinal());
        // Two full panels, then a partial one whose rows end past a whole interleaved group.
        int rows = 2 * PanelKernel.NR + InterleavedMatrix.G + 3;
        try (Arena arena = Arena.ofShared(); ComputeResources resources = new ComputeResources(2)) {
            // One block, three, and a last block of one super-block only.
            for (int cols : new int[] {PanelGemm.KC, 3 * PanelGemm.KC, PanelGemm.KC + 256}) {
                float[] weights = new float[rows * cols];
                for (int i = 0; i < weights.length; i++) {
                    // Rows of different magnitudes, so that per-row scales are told apart.
                    weights[i] = (float) (random.nextGaussian() * (1 + (i / cols) % 5));
                }
                byte[] bytes = Quantizer.quantize(type, weights);
                MemorySegment data = arena.allocate(bytes.length, 64);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
                TypeKernel kernel = Kernels.forType(type);
                float[] exact = WeightMatrix.dequantize(type, data, rows, cols);
                int batch = 5 * PanelKernel.MR + 5;
                float[] x = new float[batch * cols];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }

                float[] fromFile = new float[batch * rows];
                new PanelGemm(null, kernel, data, rows, cols).multiplyPanels(x, batch, fromFile, 0, PanelGemm.panels(rows));
                assertClose(type + " file layout, " + cols + " columns", exact, x, batch, rows, cols, fromFile);

                InterleavedMatrix im = InterleavedMatrix.of(type, data, rows, cols, resources);
                if (im != null) {
                    assertThat(im.rows()).isLessThan(rows);
                    // The file's rows that the copy covers zeroed: a panel read from the file instead (a layout whose
                    // groups do not tile the panels, as Q8_0's 4G-row groups at 256 bits did until k610) fails.
                    MemorySegment rest = arena.allocate(bytes.length, 64);
                    MemorySegment.copy(data, 0, rest, 0, bytes.length);
                    rest.asSlice(0, type.byteSize((long) im.rows() * cols)).fill((byte) 0);
                    float[] fromCopy = new float[batch * rows];
                    new PanelGemm(im, kernel, rest, rows, cols).multiplyPanels(x, batch, fromCopy, 0, PanelGemm.panels(rows));
                    assertClose(type + " interleaved, " + cols + " columns", exact, x, batch, rows, cols, fromCopy);
                }

                // And through WeightMatrix.matmul, which sends a batch this large here, split over the pool.
                float[] viaMatmul = new float[batch * rows];
                new WeightMatrix("w", type, data, rows, cols, resources).matmul(x, batch, viaMatmul);
                assertClose(type + " matmul, " + cols + " columns", exact, x, batch, rows, cols, viaMatmul);
            }
        }
    }

    /** Each output within float rounding of the double-precision product: 1e-5 of Σ|w·x|. */
    private static void assertClose(String what, float[] w, float[] x, int batch, int rows, int cols, float[] out) {
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) w[r * cols + c] * x[b * cols + c];
                    sum += p;
                    magnitude += Math.abs(p);
                }
                assertThat((double) out[b * rows + r]).as("%s: input %d row %d", what, b, r)
                        .isCloseTo(sum, within(1e-5 * magnitude));
            }
        }
    }
}
