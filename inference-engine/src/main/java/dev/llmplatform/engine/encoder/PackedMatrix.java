package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.tensor.PanelKernel;
import java.util.Arrays;

/**
 * An F32 weight matrix {@code W} of {@code K × N} (input features × output features) with its bias,
 * repacked once at load time for {@link F32Gemm}'s microkernel ({@link PanelKernel}): columns are grouped into panels of
 * {@link #PANEL_WIDTH}, and each panel is stored as {@code K} consecutive rows of that width. The GEMM
 * then streams one panel sequentially while it keeps a block of outputs in vector registers. Columns
 * past {@code N} in the last panel are zero.
 */
public final class PackedMatrix {
    /** Output columns per panel: the shared microkernel's ({@link PanelKernel#NR}). */
    private static final int PANEL_WIDTH = PanelKernel.NR;

    private final int inputs;
    private final int outputs;
    private final int panels;
    private final float[] packed;
    private final float[] bias;

    private PackedMatrix(int inputs, int outputs, float[] packed, float[] bias) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.panels = (outputs + PANEL_WIDTH - 1) / PANEL_WIDTH;
        this.packed = packed;
        this.bias = bias;
    }

    /**
     * From the ONNX {@code MatMul} layout: {@code w[k·N + n]}, one row per input feature.
     *
     * @param bias {@code N} values, or {@code null} for none
     */
    public static PackedMatrix fromInputMajor(float[] w, int inputs, int outputs, float[] bias) {
        check(w, inputs, outputs, bias);
        return pack(inputs, outputs, bias, (k, n) -> w[k * outputs + n]);
    }

    /**
     * From the PyTorch {@code Linear} / GGUF layout: {@code w[n·K + k]}, one row per output feature.
     *
     * @param bias {@code N} values, or {@code null} for none
     */
    public static PackedMatrix fromOutputMajor(float[] w, int inputs, int outputs, float[] bias) {
        check(w, inputs, outputs, bias);
        return pack(inputs, outputs, bias, (k, n) -> w[n * inputs + k]);
    }

    private static void check(float[] w, int inputs, int outputs, float[] bias) {
        if ((long) inputs * outputs != w.length) {
            throw new IllegalArgumentException(w.length + " weights do not form " + inputs + "×" + outputs);
        }
        if (bias != null && bias.length != outputs) {
            throw new IllegalArgumentException("bias has " + bias.length + " values for " + outputs + " outputs");
        }
    }

    private interface Source {
        float at(int k, int n);
    }

    private static PackedMatrix pack(int inputs, int outputs, float[] bias, Source w) {
        int panels = (outputs + PANEL_WIDTH - 1) / PANEL_WIDTH;
        float[] packed = new float[panels * inputs * PANEL_WIDTH];
        for (int p = 0; p < panels; p++) {
            int base = p * inputs * PANEL_WIDTH;
            for (int k = 0; k < inputs; k++) {
                for (int j = 0; j < PANEL_WIDTH; j++) {
                    int n = p * PANEL_WIDTH + j;
                    if (n < outputs) {
                        packed[base + k * PANEL_WIDTH + j] = w.at(k, n);
                    }
                }
            }
        }
        float[] paddedBias = new float[panels * PANEL_WIDTH];
        if (bias != null) {
            System.arraycopy(bias, 0, paddedBias, 0, outputs);
        }
        return new PackedMatrix(inputs, outputs, packed, paddedBias);
    }

    /** K: the length of an input row. */
    public int inputs() {
        return inputs;
    }

    /** N: the length of an output row. */
    public int outputs() {
        return outputs;
    }

    int panels() {
        return panels;
    }

    float[] packed() {
        return packed;
    }

    /** The bias padded to whole panels. */
    float[] paddedBias() {
        return bias;
    }

    /** The weights back in the output-major (PyTorch/GGUF) layout {@code [N][K]}. */
    public float[] toOutputMajor() {
        float[] out = new float[inputs * outputs];
        for (int n = 0; n < outputs; n++) {
            int p = n / PANEL_WIDTH;
            int j = n % PANEL_WIDTH;
            int base = p * inputs * PANEL_WIDTH + j;
            for (int k = 0; k < inputs; k++) {
                out[n * inputs + k] = packed[base + k * PANEL_WIDTH];
            }
        }
        return out;
    }

    public float[] bias() {
        return Arrays.copyOf(bias, outputs);
    }
}
