package dev.llmplatform.engine.gguf;

import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a user needs to know about a model file before loading it: architecture, size, context and the
 * memory it will take for a given context length.
 *
 * @param weightBytesByType  tensor bytes per storage type (the file mapping the engine keeps resident)
 * @param kvBytesPerToken    K and V cache bytes one token takes across all layers at {@code kvType}
 * @param scratchBytes       activation buffers for one prompt batch plus one row of logits per batch position
 *                           (attention is tiled, so no position × position score matrix is held)
 */
public record GgufSummary(
        String architecture,
        String name,
        long parameterCount,
        Map<GgmlType, Long> weightBytesByType,
        long contextLength,
        int layers,
        int embeddingLength,
        int headCount,
        int kvHeadCount,
        int keyLength,
        int valueLength,
        int vocabularySize,
        String tokenizerModel,
        String chatTemplate,
        GgmlType kvType,
        long kvBytesPerToken,
        long scratchBytes) {

    /** Prompt positions per forward call (the runtime's {@code Sequence.DEFAULT_BATCH}). */
    private static final int PROMPT_BATCH = 32;

    public static GgufSummary of(GgufFile file, GgmlType kvType) {
        GgufMetadata m = file.metadata();
        String arch = m.string("general.architecture").orElse("unknown");
        long params = 0;
        Map<GgmlType, Long> bytes = new EnumMap<>(GgmlType.class);
        for (GgufTensor t : file.tensors().values()) {
            params += t.elementCount();
            bytes.merge(t.type(), t.byteSize(), Long::sum);
        }
        int layers = m.intOr(arch + ".block_count", 0);
        int dim = m.intOr(arch + ".embedding_length", 0);
        int heads = firstInt(m, arch + ".attention.head_count", 0);
        int kvHeads = firstInt(m, arch + ".attention.head_count_kv", heads);
        int headDim = heads > 0 ? dim / heads : 0;
        int keyLength = m.intOr(arch + ".attention.key_length", headDim);
        int valueLength = m.intOr(arch + ".attention.value_length", headDim);
        int ff = firstInt(m, arch + ".feed_forward_length", 4 * dim);
        int vocab = m.strings("tokenizer.ggml.tokens").map(a -> a.length).orElse(m.intOr(arch + ".vocab_size", 0));
        long kvPerToken = (long) layers * kvHeads * (keyLength + valueLength) * kvType.typeSize() / kvType.blockSize();
        long scratch = 4L * PROMPT_BATCH * ((long) vocab + 4L * dim + 2L * ff);
        return new GgufSummary(arch, m.string("general.name").orElse(null), params, bytes,
                m.integer(arch + ".context_length").orElse(0L), layers, dim, heads, kvHeads, keyLength, valueLength,
                vocab, m.string("tokenizer.ggml.model").orElse(null), m.string("tokenizer.chat_template").orElse(null),
                kvType, kvPerToken, scratch);
    }

    /** A per-model value, or the first of a per-layer array (some files store head counts per layer). */
    private static int firstInt(GgufMetadata m, String key, int fallback) {
        if (!m.has(key)) {
            return fallback;
        }
        Object v = m.get(key).orElseThrow().value();
        if (v instanceof Number) {
            return Math.toIntExact(m.requireInteger(key));
        }
        int[] a = m.ints(key).orElseThrow();
        return a.length > 0 ? a[0] : fallback;
    }

    public long weightBytes() {
        return weightBytesByType.values().stream().mapToLong(Long::longValue).sum();
    }

    public long kvBytes(long contextTokens) {
        return kvBytesPerToken * contextTokens;
    }

    /**
     * Weight bytes once loaded: the quantized types the kernels multiply from an interleaved copy take
     * that copy's size instead of the file's (F32 scales, widened Q6_K values).
     */
    public long residentWeightBytes() {
        return weightBytesByType.entrySet().stream()
                .mapToLong(e -> WeightMatrix.residentBytes(e.getKey(), e.getValue())).sum();
    }

    /** Resident weights + KV cache for {@code contextTokens} + scratch buffers of one sequence. */
    public long estimatedRamBytes(long contextTokens) {
        return residentWeightBytes() + kvBytes(contextTokens) + scratchBytes;
    }
}
