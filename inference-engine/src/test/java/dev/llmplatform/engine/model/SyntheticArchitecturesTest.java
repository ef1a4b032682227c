package dev.llmplatform.engine.model;

import dev.llmplatform.engine.tensor.ComputeResources;
import org.junit.jupiter.api.AutoClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmplatform.engine.gguf.GgufException;
import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufValue;
import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.runtime.Sequence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Families without reference files (qwen3, gemma3) built from tiny random GGUF files: the right parts
 * are wired per layer, and batched prompt processing agrees with token-by-token decoding.
 */
class SyntheticArchitecturesTest {
    /** The pool and arena the models under test compute with, closed after each test. */
    @AutoClose
    private final ComputeResources resources = new ComputeResources(2);

    private static final int DIM = 32;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD = 16; // key_length: heads × head (64) ≠ dim
    private static final int FFN = 48;
    private static final int VOCAB = 64;

    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(3);

    private float[] randoms(int n, double scale, double offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + scale * random.nextGaussian());
        }
        return v;
    }

    private void matrix(GgufWriter w, String name, int rows, int cols) {
        w.addF32(name, new long[] {cols, rows}, randoms(rows * cols, 0.3, 0));
    }

    private void vector(GgufWriter w, String name, int n) {
        w.addF32(name, new long[] {n}, randoms(n, 0.1, 1));
    }

    private Path write(String arch, int layers, boolean qkNorm, boolean postNorms, GgufWriter w) throws IOException {
        String p = arch + ".";
        w.put("general.architecture", arch);
        w.putUint32(p + "embedding_length", DIM);
        w.putUint32(p + "block_count", layers);
        w.putUint32(p + "feed_forward_length", FFN);
        w.putUint32(p + "attention.head_count", HEADS);
        w.putUint32(p + "attention.head_count_kv", KV_HEADS);
        w.putUint32(p + "attention.key_length", HEAD);
        w.putUint32(p + "attention.value_length", HEAD);
        w.put(p + "attention.layer_norm_rms_epsilon", 1e-6f);
        w.putUint32(p + "context_length", 128);
        matrix(w, "token_embd.weight", VOCAB, DIM);
        vector(w, "output_norm.weight", DIM);
        for (int i = 0; i < layers; i++) {
            String b = "blk." + i + ".";
            vector(w, b + "attn_norm.weight", DIM);
            matrix(w, b + "attn_q.weight", HEADS * HEAD, DIM);
            matrix(w, b + "attn_k.weight", KV_HEADS * HEAD, DIM);
            matrix(w, b + "attn_v.weight", KV_HEADS * HEAD, DIM);
            matrix(w, b + "attn_output.weight", DIM, HEADS * HEAD);
            vector(w, b + "ffn_norm.weight", DIM);
            matrix(w, b + "ffn_gate.weight", FFN, DIM);
            matrix(w, b + "ffn_up.weight", FFN, DIM);
            matrix(w, b + "ffn_down.weight", DIM, FFN);
            if (qkNorm) {
                vector(w, b + "attn_q_norm.weight", HEAD);
                vector(w, b + "attn_k_norm.weight", HEAD);
            }
            if (postNorms) {
                vector(w, b + "post_attention_norm.weight", DIM);
                vector(w, b + "post_ffw_norm.weight", DIM);
            }
        }
        Path file = dir.resolve(arch + ".gguf");
        w.write(file);
        return file;
    }

    private static void assertBatchedMatchesStepwise(Transformer model, int[] tokens) {
        assertBatchedMatchesStepwise(model, tokens, KvType.DEFAULT);
    }

    private static void assertBatchedMatchesStepwise(Transformer model, int[] tokens, KvType type) {
        int vocab = model.vocabularySize();
        List<float[]> batched = new ArrayList<>();
        new Sequence(model, tokens.length, 64, type).appendScoringAll(tokens,
                (i, logits, off) -> batched.add(java.util.Arrays.copyOfRange(logits, off, off + vocab)));
        Sequence stepwise = new Sequence(model, tokens.length, 1, type);
        for (int i = 0; i < tokens.length; i++) {
            float[] logits = stepwise.append(tokens[i]);
            for (int v = 0; v < vocab; v++) {
                assertThat(logits[v]).isFinite().isCloseTo(batched.get(i)[v], within(1e-3f));
            }
        }
    }

    private static final int[] TOKENS = {1, 5, 9, 33, 2, 60, 7, 7, 18, 41, 3, 12, 50, 22};

    /**
     * The engine's logits after every token agree with the plain double-precision forward pass. The
     * cache is F32 here: this checks the architecture's arithmetic, not the KV cache's rounding (which
     * the reference-model tests bound).
     */
    private static void assertMatchesNaive(GgufFile gguf, Transformer model, NaiveTransformer.Family family) {
        double[][] expected = new NaiveTransformer(gguf, family).logits(TOKENS);
        int vocab = model.vocabularySize();
        new Sequence(model, TOKENS.length, 5, KvType.F32).appendScoringAll(TOKENS, (i, logits, off) -> {
            for (int v = 0; v < vocab; v++) {
                assertThat((double) logits[off + v]).as("position %d logit %d", i, v)
                        .isCloseTo(expected[i][v], within(2e-3 * Math.max(1, Math.abs(expected[i][v]))));
            }
        });
    }

    @Test
    void qwen3NormalisesEachQueryAndKeyHead() throws IOException {
        GgufWriter w = new GgufWriter();
        w.put("qwen3.rope.freq_base", 1_000_000f);
        Path file = write("qwen3", 2, true, false, w);
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Architecture.load(gguf, resources);
            assertThat(model.config().queryDim()).isEqualTo(64);
            for (Layer l : model.layers()) {
                assertThat(l.qNorm().size()).isEqualTo(HEAD);
                assertThat(l.kNorm().size()).isEqualTo(HEAD);
                assertThat(l.window()).isZero();
                assertThat(l.postAttnNorm()).isNull();
            }
            assertBatchedMatchesStepwise(model, TOKENS);
            assertMatchesNaive(gguf, model, new NaiveTransformer.Family(true, false, true, false, false, l -> false, 0));
        }
    }

    /** A prompt longer than one attention tile: the online softmax carried across tiles is still exact. */
    @Test
    void attentionAcrossSeveralTilesMatchesTheNaivePass() throws IOException {
        Path file = write("qwen3", 1, true, false, new GgufWriter());
        int[] tokens = random.ints(2 * Transformer.ATTENTION_TILE + 9, 0, VOCAB).toArray();
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Architecture.load(gguf, resources);
            double[][] expected = new NaiveTransformer(gguf, new NaiveTransformer.Family(true, false, true, false, false, l -> false, 0))
                    .logits(tokens);
            int vocab = model.vocabularySize();
            new Sequence(model, tokens.length, 32, KvType.F32).appendScoringAll(tokens, (i, logits, off) -> {
                for (int v = 0; v < vocab; v++) {
                    assertThat((double) logits[off + v]).as("position %d logit %d", i, v)
                            .isCloseTo(expected[i][v], within(2e-3 * Math.max(1, Math.abs(expected[i][v]))));
                }
            });
        }
    }

    /**
     * Prompts through the GEMM attention ({@link PromptAttention}): more keys than one chunk (the running
     * softmax carried across chunks), several blocks of positions, a sliding window that starts inside a
     * block and layers without one; against the naive pass (F32 cache), and batched against token-by-token
     * decoding (the per-position path) for every cache type.
     */
    @Test
    void promptAttentionOverKeyChunksAndWindowsMatchesTheNaivePassAndDecoding() throws IOException {
        GgufWriter w = new GgufWriter();
        w.putUint32("gemma3.attention.sliding_window", 45);
        w.put("gemma3.rope.freq_base", 1_000_000f);
        Path file = write("gemma3", 7, true, true, w);
        int[] tokens = random.ints(560, 0, VOCAB).toArray();
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Architecture.load(gguf, resources);
            double[][] expected = new NaiveTransformer(gguf, new NaiveTransformer.Family(true, true, true, true, true, l -> l % 6 != 5, 10000))
                    .logits(tokens);
            int vocab = model.vocabularySize();
            new Sequence(model, tokens.length, 100, KvType.F32).appendScoringAll(tokens, (i, logits, off) -> {
                for (int v = 0; v < vocab; v++) {
                    assertThat((double) logits[off + v]).as("position %d logit %d", i, v)
                            .isCloseTo(expected[i][v], within(2e-3 * Math.max(1, Math.abs(expected[i][v]))));
                }
            });
            int[] prompt = java.util.Arrays.copyOf(tokens, 300);
            for (KvType type : KvType.values()) {
                if (type != KvType.Q8_0) { // Q8_0 needs head dimensions of 32; HEAD is 16
                    assertBatchedMatchesStepwise(model, prompt, type);
                }
            }
        }
    }

    @Test
    void gemma3AlternatesFiveLocalLayersWithOneGlobalLayer() throws IOException {
        GgufWriter w = new GgufWriter();
        w.putUint32("gemma3.attention.sliding_window", 4);
        w.put("gemma3.rope.freq_base", 1_000_000f);
        w.put("gemma3.rope.scaling.type", "linear");
        w.put("gemma3.rope.scaling.factor", 8f);
        Path file = write("gemma3", 7, true, true, w);
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Architecture.load(gguf, resources);
            List<Layer> layers = model.layers();
            assertThat(layers.stream().map(Layer::window).toList()).containsExactly(4, 4, 4, 4, 4, 0, 4);
            Rope local = layers.get(0).rope();
            Rope global = layers.get(5).rope();
            assertThat(global).isNotSameAs(local);
            assertThat(layers.get(6).rope()).isSameAs(local);
            // Local layers: base 10000, unscaled; the global layer: base 1e6 with linear factor 8.
            float[] cos = new float[HEAD / 2];
            float[] sin = new float[HEAD / 2];
            local.angles(1, cos, sin);
            assertThat(Math.atan2(sin[1], cos[1])).isCloseTo(Math.pow(10000, -2.0 / HEAD), within(1e-6));
            global.angles(1, cos, sin);
            assertThat(Math.atan2(sin[1], cos[1])).isCloseTo(Math.pow(1e6, -2.0 / HEAD) / 8, within(1e-6));
            assertThat(layers.get(0).postFfnNorm()).isNotNull();
            assertBatchedMatchesStepwise(model, TOKENS);
            assertMatchesNaive(gguf, model, new NaiveTransformer.Family(true, true, true, true, true, l -> l % 6 != 5, 10000));
        }
    }

    @Test
    void gemmaScalesEmbeddingsAndUsesGeglu() throws IOException {
        Path file = write("gemma", 2, false, false, new GgufWriter());
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Architecture.load(gguf, resources);
            for (Layer l : model.layers()) {
                assertThat(((FeedForward.Gated) l.ffn()).activation()).isEqualTo(Activation.GELU_TANH);
                assertThat(l.postAttnNorm()).isNull();
                assertThat(l.window()).isZero();
            }
            assertBatchedMatchesStepwise(model, TOKENS);
            assertMatchesNaive(gguf, model, new NaiveTransformer.Family(true, true, false, false, true, l -> false, 0));
        }
    }

    @Test
    void aMissingTensorOrUnknownArchitectureIsAClearError() throws IOException {
        GgufWriter w = new GgufWriter();
        Path file = write("qwen3", 1, false, false, w);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(() -> Architecture.load(gguf, resources)).isInstanceOf(GgufException.class)
                    .hasMessageContaining("attn_q_norm.weight");
        }
        GgufWriter other = new GgufWriter();
        other.put("general.architecture", GgufValue.of("mamba"));
        Path mamba = dir.resolve("mamba.gguf");
        other.write(mamba);
        try (GgufFile gguf = GgufFile.open(mamba)) {
            assertThatThrownBy(() -> Architecture.load(gguf, resources)).hasMessageContaining("unsupported model architecture 'mamba'");
        }
    }
}
