package dev.llmplatform.engine.model;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufMetadata;

/**
 * The hyper-parameters of a decoder-only transformer, read from a GGUF file's {@code <arch>.*} keys
 * (never from {@code general.name}).
 *
 * @param architecture  the value of {@code general.architecture}
 * @param headDimK      per-head width of queries and keys ({@code attention.key_length}, default dim/heads)
 * @param headDimV      per-head width of values ({@code attention.value_length}, default headDimK)
 * @param ropeDim       how many leading dimensions of each head are rotated ({@code rope.dimension_count})
 * @param slidingWindow window of the sliding-window layers in tokens, 0 if the model has none
 */
public record ModelConfig(
        String architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDimK,
        int headDimV,
        int ffnDim,
        int vocabSize,
        int contextLength,
        float normEps,
        int ropeDim,
        float ropeBase,
        RopeScaling ropeScaling,
        float attnSoftcap,
        float finalSoftcap,
        int slidingWindow) {

    public ModelConfig {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new GgufException(architecture + ": inconsistent dimensions (dim " + dim + ", layers " + layers
                    + ", heads " + heads + ", kv heads " + kvHeads + ")");
        }
        if (ropeDim > headDimK || ropeDim % 2 != 0) {
            throw new GgufException(architecture + ": rope.dimension_count " + ropeDim + " does not fit head size " + headDimK);
        }
    }

    /** Reads the common keys under the {@code <arch>.} prefix. */
    public static ModelConfig read(GgufMetadata m, String arch, int vocabFallback) {
        String p = arch + ".";
        int dim = Math.toIntExact(m.requireInteger(p + "embedding_length"));
        int heads = Math.toIntExact(m.requireInteger(p + "attention.head_count"));
        int kvHeads = m.intOr(p + "attention.head_count_kv", heads);
        int headDimK = m.intOr(p + "attention.key_length", dim / heads);
        int headDimV = m.intOr(p + "attention.value_length", headDimK);
        float eps = m.number(p + "attention.layer_norm_rms_epsilon")
                .or(() -> m.number(p + "attention.layer_norm_epsilon"))
                .map(Double::floatValue).orElse(1e-5f);
        return new ModelConfig(arch,
                dim,
                Math.toIntExact(m.requireInteger(p + "block_count")),
                heads,
                kvHeads,
                headDimK,
                headDimV,
                Math.toIntExact(m.requireInteger(p + "feed_forward_length")),
                m.intOr(p + "vocab_size", vocabFallback),
                m.intOr(p + "context_length", 4096),
                eps,
                m.intOr(p + "rope.dimension_count", headDimK),
                m.floatOr(p + "rope.freq_base", 10000f),
                RopeScaling.read(m, arch),
                m.floatOr(p + "attn_logit_softcapping", 0f),
                m.floatOr(p + "final_logit_softcapping", 0f),
                m.intOr(p + "attention.sliding_window", 0));
    }

    public int queryDim() {
        return heads * headDimK;
    }

    public int keyDim() {
        return kvHeads * headDimK;
    }

    public int valueDim() {
        return kvHeads * headDimV;
    }

    /** Query heads that share one key/value head (grouped-query attention). */
    public int groupSize() {
        return heads / kvHeads;
    }
}
