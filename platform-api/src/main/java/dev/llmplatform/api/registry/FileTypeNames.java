package dev.llmplatform.api.registry;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.tensor.GgmlType;
import java.util.EnumMap;
import java.util.Map;

/**
 * A GGUF file's quantization as people name it. {@code general.file_type} holds llama.cpp's
 * {@code llama_ftype} number, which distinguishes mixes of the same block type ({@code Q4_K_S} vs
 * {@code Q4_K_M}); files without it are named by the storage type holding most of the weight bytes.
 */
public final class FileTypeNames {
    private static final Map<Integer, String> FTYPES = Map.ofEntries(
            Map.entry(0, "F32"), Map.entry(1, "F16"), Map.entry(2, "Q4_0"), Map.entry(3, "Q4_1"),
            Map.entry(7, "Q8_0"), Map.entry(8, "Q5_0"), Map.entry(9, "Q5_1"), Map.entry(10, "Q2_K"),
            Map.entry(11, "Q3_K_S"), Map.entry(12, "Q3_K_M"), Map.entry(13, "Q3_K_L"), Map.entry(14, "Q4_K_S"),
            Map.entry(15, "Q4_K_M"), Map.entry(16, "Q5_K_S"), Map.entry(17, "Q5_K_M"), Map.entry(18, "Q6_K"),
            Map.entry(19, "IQ2_XXS"), Map.entry(20, "IQ2_XS"), Map.entry(21, "Q2_K_S"), Map.entry(22, "IQ3_XS"),
            Map.entry(23, "IQ3_XXS"), Map.entry(24, "IQ1_S"), Map.entry(25, "IQ4_NL"), Map.entry(26, "IQ3_S"),
            Map.entry(27, "IQ3_M"), Map.entry(28, "IQ2_S"), Map.entry(29, "IQ2_M"), Map.entry(30, "IQ4_XS"),
            Map.entry(31, "IQ1_M"), Map.entry(32, "BF16"), Map.entry(36, "TQ1_0"), Map.entry(37, "TQ2_0"));

    private FileTypeNames() {
    }

    public static String of(GgufFile file) {
        var ftype = file.metadata().integer("general.file_type");
        if (ftype.isPresent() && FTYPES.containsKey(ftype.get().intValue())) {
            return FTYPES.get(ftype.get().intValue());
        }
        Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
        for (GgufTensor t : file.tensors().values()) {
            if (t.shape().length >= 2) { // norms and biases are F32 in every file; weights say what it is
                bytes.merge(t.type(), t.byteSize(), Long::sum);
            }
        }
        return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name()).orElse(null);
    }
}
