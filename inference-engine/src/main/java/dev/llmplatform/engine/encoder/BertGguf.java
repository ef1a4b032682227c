package dev.llmplatform.engine.encoder;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufMetadata;
import dev.llmplatform.engine.gguf.GgufTensor;
import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT-family GGUF files ({@code general.architecture = bert}) in llama.cpp's naming: tensors
 * {@code token_embd}, {@code position_embd}, {@code token_types}, {@code token_embd_norm},
 * {@code blk.N.attn_q/k/v/output}, {@code blk.N.attn_output_norm}, {@code blk.N.ffn_up/down},
 * {@code blk.N.layer_output_norm} (each {@code .weight}/{@code .bias}), hyper-parameters under
 * {@code bert.*}, and a WordPiece vocabulary ({@code tokenizer.ggml.model = bert}). Weights of any type
 * the engine has a kernel for (F32, F16, Q8_0) are expanded to F32 when loaded.
 */
public final class BertGguf {
    public static final String ARCHITECTURE = "bert";

    private BertGguf() {
    }

    /** The encoder, vocabulary and pooling of a BERT GGUF file. */
    public record Loaded(BertWeights weights, WordPieceTokenizer tokenizer, Pooling pooling) {}

    public static Loaded read(GgufFile file) {
        String arch = file.architecture();
        if (!arch.equals(ARCHITECTURE)) {
            throw new GgufException("general.architecture is '" + arch + "'; only 'bert' encoders are supported");
        }
        GgufMetadata m = file.metadata();
        if (m.boolOr("bert.attention.causal", false)) {
            throw new GgufException("bert.attention.causal is true; a sentence encoder attends in both directions");
        }
        int hidden = (int) m.requireInteger("bert.embedding_length");
        int layers = (int) m.requireInteger("bert.block_count");
        int heads = (int) m.requireInteger("bert.attention.head_count");
        int ffn = (int) m.requireInteger("bert.feed_forward_length");
        float eps = m.floatOr("bert.attention.layer_norm_epsilon", 1e-12f);
        Pooling pooling = m.integer("bert.pooling_type").map(Pooling::fromGgufCode).orElse(Pooling.MEAN);

        GgufTensor tokenTable = file.requireTensor("token_embd.weight");
        GgufTensor positionTable = file.requireTensor("position_embd.weight");
        float[] types = file.tensor("token_types.weight").map(BertGguf::floats).orElse(new float[hidden]);
        BertConfig config = new BertConfig(Math.toIntExact(tokenTable.rowCount()), hidden, layers, heads, ffn,
                Math.toIntExact(positionTable.rowCount()), types.length / hidden, eps);

        List<BertLayer> blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            String p = "blk." + i + ".";
            float[] q = floats(file.requireTensor(p + "attn_q.weight"));
            float[] k = floats(file.requireTensor(p + "attn_k.weight"));
            float[] v = floats(file.requireTensor(p + "attn_v.weight"));
            float[] qkv = new float[3 * hidden * hidden];
            System.arraycopy(q, 0, qkv, 0, q.length);
            System.arraycopy(k, 0, qkv, q.length, k.length);
            System.arraycopy(v, 0, qkv, 2 * q.length, v.length);
            float[] qkvBias = new float[3 * hidden];
            System.arraycopy(bias(file, p + "attn_q.bias", hidden), 0, qkvBias, 0, hidden);
            System.arraycopy(bias(file, p + "attn_k.bias", hidden), 0, qkvBias, hidden, hidden);
            System.arraycopy(bias(file, p + "attn_v.bias", hidden), 0, qkvBias, 2 * hidden, hidden);
            blocks.add(new BertLayer(
                    PackedMatrix.fromOutputMajor(qkv, hidden, 3 * hidden, qkvBias),
                    linear(file, p + "attn_output", hidden, hidden),
                    norm(file, p + "attn_output_norm"),
                    linear(file, p + "ffn_up", hidden, ffn),
                    linear(file, p + "ffn_down", ffn, hidden),
                    norm(file, p + "layer_output_norm")));
        }
        BertWeights weights = new BertWeights(config, floats(tokenTable), floats(positionTable), types,
                norm(file, "token_embd_norm"), blocks);
        return new Loaded(weights, WordPieceTokenizer.fromGguf(m), pooling);
    }

    private static float[] floats(GgufTensor t) {
        return t.floats();
    }

    private static float[] bias(GgufFile file, String name, int n) {
        float[] b = file.tensor(name).map(BertGguf::floats).orElse(new float[n]);
        if (b.length != n) {
            throw new GgufException("tensor '" + name + "' has " + b.length + " values, expected " + n);
        }
        return b;
    }

    private static PackedMatrix linear(GgufFile file, String name, int inputs, int outputs) {
        GgufTensor w = file.requireTensor(name + ".weight");
        if (w.rowLength() != inputs || w.rowCount() != outputs) {
            throw new GgufException("tensor '" + name + ".weight' is " + w.rowCount() + "×" + w.rowLength()
                    + ", expected " + outputs + "×" + inputs);
        }
        return PackedMatrix.fromOutputMajor(floats(w), inputs, outputs, bias(file, name + ".bias", outputs));
    }

    private static LayerNormWeights norm(GgufFile file, String name) {
        return new LayerNormWeights(floats(file.requireTensor(name + ".weight")), floats(file.requireTensor(name + ".bias")));
    }

    /** Writes an encoder as an F32 BERT GGUF file that llama.cpp's naming conventions describe. */
    public static void write(BertWeights weights, WordPieceTokenizer tokenizer, Pooling pooling, String name, Path path)
            throws IOException {
        BertConfig c = weights.config();
        int h = c.hiddenSize();
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", ARCHITECTURE);
        w.put("general.name", name);
        w.putUint32("bert.context_length", c.maxPositions());
        w.putUint32("bert.embedding_length", h);
        w.putUint32("bert.feed_forward_length", c.intermediateSize());
        w.putUint32("bert.block_count", c.layers());
        w.putUint32("bert.attention.head_count", c.heads());
        w.put("bert.attention.layer_norm_epsilon", c.layerNormEps());
        w.put("bert.attention.causal", false);
        w.putUint32("bert.pooling_type", pooling.ggufCode());
        w.put("tokenizer.ggml.model", "bert");
        w.put("tokenizer.ggml.tokens", tokenizer.ggufTokens());
        w.putInt32("tokenizer.ggml.token_type", tokenizer.ggufTokenTypes());
        w.putUint32("tokenizer.ggml.token_type_count", c.typeVocabSize());
        var special = tokenizer.specialTokens();
        w.putUint32("tokenizer.ggml.unknown_token_id", special.unknown());
        w.putUint32("tokenizer.ggml.seperator_token_id", special.eos());
        w.putUint32("tokenizer.ggml.padding_token_id", special.padding());
        w.putUint32("tokenizer.ggml.cls_token_id", special.bos());
        w.putUint32("tokenizer.ggml.mask_token_id", tokenizer.maskId());

        w.addF32("token_embd.weight", new long[] {h, c.vocabSize()}, weights.tokenEmbeddings());
        w.addF32("token_types.weight", new long[] {h, c.typeVocabSize()}, weights.tokenTypeEmbeddings());
        w.addF32("position_embd.weight", new long[] {h, c.maxPositions()}, weights.positionEmbeddings());
        addNorm(w, "token_embd_norm", weights.embeddingNorm());
        for (int i = 0; i < c.layers(); i++) {
            BertLayer l = weights.layers().get(i);
            String p = "blk." + i + ".";
            float[] qkv = l.qkv().toOutputMajor();
            float[] qkvBias = l.qkv().bias();
            String[] parts = {"attn_q", "attn_k", "attn_v"};
            for (int j = 0; j < 3; j++) {
                w.addF32(p + parts[j] + ".weight", new long[] {h, h},
                        java.util.Arrays.copyOfRange(qkv, j * h * h, (j + 1) * h * h));
                w.addF32(p + parts[j] + ".bias", new long[] {h}, java.util.Arrays.copyOfRange(qkvBias, j * h, (j + 1) * h));
            }
            addLinear(w, p + "attn_output", l.attnOutput());
            addNorm(w, p + "attn_output_norm", l.attnNorm());
            addLinear(w, p + "ffn_up", l.up());
            addLinear(w, p + "ffn_down", l.down());
            addNorm(w, p + "layer_output_norm", l.outputNorm());
        }
        w.write(path);
    }

    private static void addLinear(GgufWriter w, String name, PackedMatrix m) {
        w.addF32(name + ".weight", new long[] {m.inputs(), m.outputs()}, m.toOutputMajor());
        w.addF32(name + ".bias", new long[] {m.outputs()}, m.bias());
    }

    private static void addNorm(GgufWriter w, String name, LayerNormWeights n) {
        w.addF32(name + ".weight", new long[] {n.weight().length}, n.weight());
        w.addF32(name + ".bias", new long[] {n.bias().length}, n.bias());
    }
}
