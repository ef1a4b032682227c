package dev.llmplatform.engine.model;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.tensor.ComputeResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How one model family ({@code general.architecture}) assembles the shared building blocks into a
 * {@link Transformer}. The default assembly is llama's; each family overrides only what differs.
 */
public abstract class Architecture {

    private static final Map<String, Supplier<Architecture>> FAMILIES = Map.of(
            "llama", LlamaArchitecture::new,
            "qwen2", Qwen2Architecture::new,
            "qwen3", Qwen3Architecture::new,
            "phi3", Phi3Architecture::new,
            "gemma", GemmaArchitecture::new,
            "gemma2", Gemma2Architecture::new,
            "gemma3", Gemma3Architecture::new);

    /** The architecture named in the file's {@code general.architecture}. */
    public static Architecture of(GgufFile file) {
        String name = file.architecture();
        Supplier<Architecture> family = FAMILIES.get(name);
        if (family == null) {
            throw new GgufException("unsupported model architecture '" + name + "' (supported: "
                    + String.join(", ", FAMILIES.keySet().stream().sorted().toList()) + ")");
        }
        return family.get();
    }

    /**
     * Builds the model over the file's mapped tensors; its products run on {@code resources}' pool and
     * its interleaved weight copies live in their arena (the caller closes both, after the model).
     */
    public static Transformer load(GgufFile file, ComputeResources resources) {
        return of(file).build(new ModelWeights(file, resources));
    }

    public Transformer build(ModelWeights w) {
        GgufFile file = w.file();
        int vocabFallback = Math.toIntExact(w.matrix("token_embd.weight").rows());
        ModelConfig c = ModelConfig.read(file.metadata(), file.architecture(), vocabFallback);
        Rope rope = rope(w, c);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(layer(w, c, i, rope));
        }
        var embeddings = w.matrix("token_embd.weight");
        if (embeddings.cols() != c.dim()) {
            throw new GgufException("token_embd.weight has width " + embeddings.cols() + ", expected " + c.dim());
        }
        // Tied embeddings: without output.weight the embedding matrix doubles as the output projection.
        var output = w.optionalMatrix("output.weight").orElse(embeddings);
        return new Transformer(c, embeddings, embedScale(c), layers,
                w.norm("output_norm.weight", c.dim(), c.normEps()), output, attentionScale(c), w.resources());
    }

    /** The rotary pairing the family was trained with. */
    protected Rope.Pairing pairing() {
        return Rope.Pairing.NEOX;
    }

    /** The rotary embedding of the layers (a family with per-layer ropes swaps some in {@link #layer}). */
    protected Rope rope(ModelWeights w, ModelConfig c) {
        return new Rope(pairing(), c.ropeDim(), c.ropeBase(), c.ropeScaling(), ropeFreqFactors(w));
    }

    /** Per-pair frequency divisors, or null: llama 3.1's {@code rope_freqs} tensor. */
    protected float[] ropeFreqFactors(ModelWeights w) {
        return w.optionalVector("rope_freqs.weight");
    }

    /** Multiplier of the token embeddings (gemma: √dim). */
    protected float embedScale(ModelConfig c) {
        return 1f;
    }

    /** Multiplier of q·k before the softmax. */
    protected float attentionScale(ModelConfig c) {
        return (float) (1.0 / Math.sqrt(c.headDimK()));
    }

    /** Layer {@code i}: by default llama's pre-norm block with SwiGLU. */
    protected Layer layer(ModelWeights w, ModelConfig c, int i, Rope rope) {
        String p = "blk." + i + ".";
        return new Layer(
                w.norm(p + "attn_norm.weight", c.dim(), c.normEps()),
                separateQkv(w, c, p),
                null, null, rope, 0,
                w.matrix(p + "attn_output.weight", c.dim(), c.heads() * c.headDimV()),
                null,
                w.norm(p + "ffn_norm.weight", c.dim(), c.normEps()),
                gatedFfn(w, c, p, Activation.SILU),
                null);
    }

    /** Separate Q/K/V projections, with biases where the file has them. */
    protected static QkvProjection separateQkv(ModelWeights w, ModelConfig c, String p) {
        return new QkvProjection.Separate(
                w.matrix(p + "attn_q.weight", c.queryDim(), c.dim()),
                w.matrix(p + "attn_k.weight", c.keyDim(), c.dim()),
                w.matrix(p + "attn_v.weight", c.valueDim(), c.dim()),
                w.has(p + "attn_q.bias") ? w.vector(p + "attn_q.bias", c.queryDim()) : null,
                w.has(p + "attn_k.bias") ? w.vector(p + "attn_k.bias", c.keyDim()) : null,
                w.has(p + "attn_v.bias") ? w.vector(p + "attn_v.bias", c.valueDim()) : null);
    }

    protected static FeedForward gatedFfn(ModelWeights w, ModelConfig c, String p, Activation act) {
        return new FeedForward.Gated(
                w.matrix(p + "ffn_gate.weight", c.ffnDim(), c.dim()),
                w.matrix(p + "ffn_up.weight", c.ffnDim(), c.dim()),
                w.matrix(p + "ffn_down.weight", c.dim(), c.ffnDim()),
                act);
    }
}
