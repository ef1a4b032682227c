package dev.llmplatform.engine.tensor;

import org.junit.jupiter.api.AutoClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every supported type: known floats are quantized, written by {@link GgufWriter}, read back through
 * {@link GgufFile} and dequantized; the error must stay within what the type's bit width allows, and a
 * kernel's dot product must equal the dot product of its own dequantized row.
 */
class QuantizationRoundTripTest {
    /** The pool and arena the models under test compute with, closed after each test. */
    @AutoClose
    private final ComputeResources resources = new ComputeResources(2);

    static final int ROWS = 6;
    static final int COLS = 512;

    /**
     * Relative RMS error allowed per type for Gaussian data. The expected error is about the quant step
     * over √12 (e.g. Q4_0: step ≈ 2.5σ/8 gives ≈ 9%); bounds leave a margin above that, while a layout or
     * sign mistake gives errors of order 100%.
     */
    static final Map<GgmlType, Double> MAX_RELATIVE_RMS = new EnumMap<>(Map.ofEntries(
            Map.entry(GgmlType.F32, 0.0),
            Map.entry(GgmlType.F16, 0.001),
            Map.entry(GgmlType.BF16, 0.005),
            Map.entry(GgmlType.Q8_0, 0.01),
            Map.entry(GgmlType.Q6_K, 0.03),
            Map.entry(GgmlType.Q5_0, 0.06),
            Map.entry(GgmlType.Q5_1, 0.06),
            Map.entry(GgmlType.Q5_K, 0.06),
            Map.entry(GgmlType.Q4_0, 0.11),
            Map.entry(GgmlType.Q4_1, 0.11),
            Map.entry(GgmlType.Q4_K, 0.11),
            Map.entry(GgmlType.Q3_K, 0.22),
            Map.entry(GgmlType.Q2_K, 0.45)));

    @TempDir
    static Path dir;
    static float[][] original = new float[ROWS][COLS];
    static Path file;

    @BeforeAll
    static void writeEveryType() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                // Rows at different magnitudes, one with an offset (for the types with a minimum).
                original[r][c] = (float) (random.nextGaussian() * Math.pow(10, r - 3) + (r == 4 ? 0.5 : 0));
            }
        }
        float[] all = new float[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(original[r], 0, all, r * COLS, COLS);
        }
        GgufWriter writer = new GgufWriter().put("general.architecture", "test");
        for (GgmlType type : MAX_RELATIVE_RMS.keySet()) {
            writer.addTensor(type.name(), type, new long[] {COLS, ROWS},
                    GgufWriter.TensorData.of(Quantizer.quantize(type, all)));
        }
        file = dir.resolve("types.gguf");
        writer.write(file);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizedValuesStayWithinTheTypesError(GgmlType type) {
        try (GgufFile g = GgufFile.open(file)) {
            GgufTensor t = g.requireTensor(type.name());
            assertThat(t.type()).isEqualTo(type);
            WeightMatrix w = t.matrix(resources);
            float[] row = new float[COLS];
            for (int r = 0; r < ROWS; r++) {
                w.dequantizeRow(r, row, 0);
                double error = relativeRms(original[r], row);
                assertThat(error).as("%s row %d relative RMS error", type, r)
                        .isLessThanOrEqualTo(MAX_RELATIVE_RMS.get(type));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void dotEqualsTheDotOfTheDequantizedRow(GgmlType type) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[COLS * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (GgufFile g = GgufFile.open(file)) {
            WeightMatrix w = g.requireTensor(type.name()).matrix(resources);
            TypeKernel kernel = Kernels.forType(type);
            float[] row = new float[COLS];
            float[] out = new float[ROWS * 2];
            w.matmul(x, 2, out);
            for (int r = 0; r < ROWS; r++) {
                w.dequantizeRow(r, row, 0);
                for (int b = 0; b < 2; b++) {
                    double expected = 0;
                    double magnitude = 0;
                    for (int c = 0; c < COLS; c++) {
                        expected += (double) row[c] * x[b * COLS + c];
                        magnitude += Math.abs((double) row[c] * x[b * COLS + c]);
                    }
                    double tolerance = 1e-5 * magnitude + 1e-30;
                    assertThat((double) kernel.dot(w.data(), (long) r * COLS, x, b * COLS, COLS))
                            .as("%s kernel dot row %d", type, r).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
                    assertThat((double) w.dotRow(r, x, b * COLS))
                            .as("%s dotRow row %d", type, r).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
                    assertThat((double) out[b * ROWS + r])
                            .as("%s matmul row %d input %d", type, r, b).isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
                }
            }
        }
    }

    @Test
    void typesWithoutKernelsAreRefusedByName() {
        assertThatThrownBy(() -> Kernels.forType(GgmlType.IQ2_XXS))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("IQ2_XXS");
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.IQ4_NL, new float[32]))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("IQ4_NL");
    }

    static double relativeRms(float[] expected, float[] actual) {
        double err = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            err += d * d;
            ref += (double) expected[i] * expected[i];
        }
        return Math.sqrt(err / ref);
    }
}
