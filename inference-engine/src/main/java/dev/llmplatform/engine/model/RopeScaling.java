package dev.llmplatform.engine.model;

import dev.llmplatform.engine.gguf.GgufMetadata;
import java.util.Locale;

/**
 * Context extension of rotary embeddings ({@code <arch>.rope.scaling.*}).
 *
 * @param factor              the context multiplier; frequencies are divided by it (1 = none)
 * @param originalContext     the training context YaRN and llama3 scaling are relative to
 * @param attnFactor          multiplier of cos/sin ({@code rope.scaling.attn_factor}, 1 by default; phi3's
 *                            LongRoPE and YaRN use it)
 * @param lowFreqFactor       llama3 scaling's low-frequency factor
 * @param highFreqFactor      llama3 scaling's high-frequency factor
 */
public record RopeScaling(Type type, float factor, int originalContext, float attnFactor,
                          float lowFreqFactor, float highFreqFactor) {

    public enum Type { NONE, LINEAR, YARN, LLAMA3 }

    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1f, 0, 1f, 1f, 4f);

    static RopeScaling read(GgufMetadata m, String arch) {
        String p = arch + ".rope.scaling.";
        String typeName = m.string(p + "type").orElse("none").toLowerCase(Locale.ROOT);
        float factor = m.floatOr(p + "factor", 0f);
        float attnFactor = m.floatOr(p + "attn_factor", 1f);
        if (factor == 0f) {
            // Older files give only the linear scale (the inverse of the factor).
            float linear = m.floatOr(arch + ".rope.scale_linear", 0f);
            if (linear > 0f) {
                return new RopeScaling(Type.LINEAR, 1f / linear, 0, 1f, 1f, 4f);
            }
        }
        Type type = switch (typeName) {
            case "linear" -> Type.LINEAR;
            case "yarn" -> Type.YARN;
            case "llama3" -> Type.LLAMA3;
            default -> Type.NONE;
        };
        if (type == Type.NONE || factor <= 0f) {
            return attnFactor == 1f ? NONE : new RopeScaling(Type.NONE, 1f, 0, attnFactor, 1f, 4f);
        }
        return new RopeScaling(type, factor,
                m.intOr(p + "original_context_length", m.intOr(arch + ".context_length", 4096)),
                attnFactor,
                m.floatOr(p + "low_freq_factor", 1f),
                m.floatOr(p + "high_freq_factor", 4f));
    }
}
