package dev.llmplatform.engine.benchmark;

import dev.llmplatform.engine.gguf.GgufValue;
import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.Quantizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Writes a random-weight GGUF model in the Llama architecture with a given {@link ModelShape}: the tensors
 * and metadata llama.cpp writes for such a model (tied embeddings, no output matrix), and a byte-level
 * BPE vocabulary of the right size. For measuring speed with a real model's shapes without downloading
 * one; its outputs are meaningless.
 *
 * <p>Tensor bytes are generated and quantized while the file is written, a few rows at a time, so a
 * billion-parameter model needs no more heap than a small one.
 */
public final class BenchmarkModelWriter {
    /** Weights are uniform in ±this: small enough to keep random activations in range. */
    private static final float WEIGHT_RANGE = 0.05f;
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private final ModelShape shape;
    private final GgmlType type;
    private final GgmlType embeddingType;
    private final long seed;

    /**
     * @param type          the type of the layers' matrices (e.g. Q8_0, Q4_0)
     * @param embeddingType the type of the (tied) token embeddings; llama.cpp's quantizer uses Q6_K there
     *                      for 4-bit files and the file's own type for Q8_0
     */
    public BenchmarkModelWriter(ModelShape shape, GgmlType type, GgmlType embeddingType, long seed) {
        this.shape = shape;
        this.type = type;
        this.embeddingType = embeddingType;
        this.seed = seed;
        for (GgmlType t : new GgmlType[] {type, embeddingType}) {
            t.byteSize(shape.dim()); // rows must be whole blocks
            Quantizer.quantize(t, new float[t.blockSize()]); // fails, naming the type, if it can't be written
        }
    }

    /** The embedding type llama.cpp's quantizer picks for a file of {@code type} with tied embeddings. */
    public static GgmlType defaultEmbeddingType(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0 -> type;
            default -> GgmlType.Q6_K;
        };
    }

    /** GGUF {@code general.file_type} (llama_ftype) of a file whose layers are mostly {@code type}. */
    static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q2_K -> 10;
            case Q3_K -> 12;
            case Q4_K -> 15;
            case Q5_K -> 17;
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no file type for " + type);
        };
    }

    public void write(Path out) throws IOException {
        writer().write(out);
    }

    GgufWriter writer() {
        ModelShape s = shape;
        BenchmarkVocabulary vocab = new BenchmarkVocabulary(s.vocab(), s.specialTokens());
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.name", "llmp random-weight benchmark model (" + s.name() + ", " + type + ")")
                .putUint32("general.file_type", fileType(type))
                .putUint32("llama.vocab_size", s.vocab())
                .putUint32("llama.context_length", s.contextLength())
                .putUint32("llama.embedding_length", s.dim())
                .putUint32("llama.block_count", s.layers())
                .putUint32("llama.feed_forward_length", s.ffDim())
                .putUint32("llama.attention.head_count", s.heads())
                .putUint32("llama.attention.head_count_kv", s.kvHeads())
                .putUint32("llama.attention.key_length", s.headDim())
                .putUint32("llama.attention.value_length", s.headDim())
                .putUint32("llama.rope.dimension_count", s.headDim())
                .put("llama.rope.freq_base", s.ropeBase())
                .put("llama.attention.layer_norm_rms_epsilon", s.rmsEps())
                .put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "llama-bpe")
                .put("tokenizer.ggml.tokens", vocab.tokens())
                .put("tokenizer.ggml.token_type", GgufValue.ofInt32(vocab.types()))
                .put("tokenizer.ggml.merges", vocab.merges())
                .putUint32("tokenizer.ggml.bos_token_id", vocab.bos())
                .putUint32("tokenizer.ggml.eos_token_id", vocab.eos())
                .put("tokenizer.ggml.add_bos_token", true);
        int tensorIndex = 0;
        w.addTensor("token_embd.weight", embeddingType, new long[] {s.dim(), s.vocab()},
                random(embeddingType, (long) s.dim() * s.vocab(), tensorIndex++));
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
            w.addTensor(p + "attn_q.weight", type, new long[] {s.dim(), s.dim()}, random(type, (long) s.dim() * s.dim(), tensorIndex++));
            w.addTensor(p + "attn_k.weight", type, new long[] {s.dim(), s.kvDim()}, random(type, (long) s.dim() * s.kvDim(), tensorIndex++));
            w.addTensor(p + "attn_v.weight", type, new long[] {s.dim(), s.kvDim()}, random(type, (long) s.dim() * s.kvDim(), tensorIndex++));
            w.addTensor(p + "attn_output.weight", type, new long[] {s.dim(), s.dim()}, random(type, (long) s.dim() * s.dim(), tensorIndex++));
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
            w.addTensor(p + "ffn_gate.weight", type, new long[] {s.dim(), s.ffDim()}, random(type, (long) s.dim() * s.ffDim(), tensorIndex++));
            w.addTensor(p + "ffn_up.weight", type, new long[] {s.dim(), s.ffDim()}, random(type, (long) s.dim() * s.ffDim(), tensorIndex++));
            w.addTensor(p + "ffn_down.weight", type, new long[] {s.ffDim(), s.dim()}, random(type, (long) s.ffDim() * s.dim(), tensorIndex++));
        }
        return w;
    }

    private static GgufWriter.TensorData ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return GgufWriter.TensorData.ofF32(v);
    }

    /** Uniform random weights, generated and quantized a chunk at a time as the file is written. */
    private GgufWriter.TensorData random(GgmlType t, long elements, int tensorIndex) {
        return out -> {
            long state = mix(seed + 31L * tensorIndex);
            int chunk = (int) Math.min(elements, CHUNK_ELEMENTS - CHUNK_ELEMENTS % t.blockSize());
            float[] values = new float[chunk];
            ByteBuffer bytes = ByteBuffer.allocateDirect((int) t.byteSize(chunk)).order(ByteOrder.LITTLE_ENDIAN);
            for (long done = 0; done < elements; done += chunk) {
                int n = (int) Math.min(chunk, elements - done);
                for (int i = 0; i < n; i++) {
                    state += 0x9E3779B97F4A7C15L;
                    // SplitMix64's output, top 24 bits as a uniform float in [−1, 1).
                    values[i] = WEIGHT_RANGE * ((mix(state) >>> 40) * 0x1p-23f - 1f);
                }
                bytes.clear();
                Quantizer.quantize(t, values, 0, n, bytes);
                bytes.flip();
                writeFully(out, bytes);
            }
        };
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
