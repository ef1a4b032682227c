package dev.llmplatform.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufWriter;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.ComputeResources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written with real models' attention shapes (head sizes, grouped-query ratios) and their real
 * position metadata — Llama 3.1/3.2's {@code rope_freqs} and llama3 scaling, Qwen2.5's YaRN, Phi-3's
 * LongRoPE, Mistral's sliding window — run end to end and compared with the double-precision
 * {@link NaiveTransformer}, whose rotary schemes are written out here from the published formulas. Widths,
 * depth and vocabulary are cut down so that the reference runs in a moment: none of them changes what
 * is tested. Each test also checks that the feature is visible in its logits (the reference without it
 * is far off), so a regression cannot pass unnoticed.
 */
class RealMetadataModelsTest {
    @AutoClose
    private final ComputeResources resources = new ComputeResources(2);

    @TempDir
    Path dir;

    private static final int DIM = 128;
    private static final int FFN = 96;
    private static final int VOCAB = 64;
    private static final double TOLERANCE = 2e-3;

    private SplittableRandom random = new SplittableRandom(17);

    /** The attention shape of a model: query heads, key/value heads, head size. */
    private record Attention(int heads, int kvHeads, int headDim) {
    }

    private float[] gaussian(int n, double scale, double offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + scale * random.nextGaussian());
        }
        return v;
    }

    private void matrix(GgufWriter w, String name, int rows, int cols) {
        w.addF32(name, new long[] {cols, rows}, gaussian(rows * cols, 1 / Math.sqrt(cols), 0));
    }

    private void norm(GgufWriter w, String name, int n) {
        w.addF32(name, new long[] {n}, gaussian(n, 0.1, 1));
    }

    /** A one-layer model of {@code arch} with the given attention shape; {@code fused} writes phi3's layout. */
    private Path write(String name, String arch, Attention a, int context, boolean fused, GgufWriter w) throws IOException {
        String p = arch + ".";
        w.put("general.architecture", arch);
        w.putUint32(p + "embedding_length", DIM);
        w.putUint32(p + "block_count", 1);
        w.putUint32(p + "feed_forward_length", FFN);
        w.putUint32(p + "attention.head_count", a.heads());
        w.putUint32(p + "attention.head_count_kv", a.kvHeads());
        w.putUint32(p + "attention.key_length", a.headDim());
        w.putUint32(p + "attention.value_length", a.headDim());
        w.putUint32(p + "rope.dimension_count", a.headDim());
        w.put(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        w.putUint32(p + "context_length", context);
        matrix(w, "token_embd.weight", VOCAB, DIM);
        norm(w, "output_norm.weight", DIM);
        int q = a.heads() * a.headDim();
        int kv = a.kvHeads() * a.headDim();
        norm(w, "blk.0.attn_norm.weight", DIM);
        if (fused) {
            matrix(w, "blk.0.attn_qkv.weight", q + 2 * kv, DIM);
            matrix(w, "blk.0.ffn_up.weight", 2 * FFN, DIM);
        } else {
            matrix(w, "blk.0.attn_q.weight", q, DIM);
            matrix(w, "blk.0.attn_k.weight", kv, DIM);
            matrix(w, "blk.0.attn_v.weight", kv, DIM);
            matrix(w, "blk.0.ffn_gate.weight", FFN, DIM);
            matrix(w, "blk.0.ffn_up.weight", FFN, DIM);
        }
        matrix(w, "blk.0.attn_output.weight", DIM, q);
        norm(w, "blk.0.ffn_norm.weight", DIM);
        matrix(w, "blk.0.ffn_down.weight", DIM, FFN);
        Path file = dir.resolve(name + ".gguf");
        w.write(file);
        return file;
    }

    private int[] tokens(int n) {
        return random.ints(n, 0, VOCAB).toArray();
    }

    /** The engine's logits after every token, with an F32 cache holding {@code context} positions. */
    private static float[][] engineLogits(Transformer model, int[] tokens, int context) {
        float[][] out = new float[tokens.length][];
        int vocab = model.vocabularySize();
        new Sequence(model, context, 32, KvType.F32).appendScoringAll(tokens,
                (i, logits, off) -> out[i] = java.util.Arrays.copyOfRange(logits, off, off + vocab));
        return out;
    }

    /** The largest deviation of {@code actual} from {@code expected}, relative to max(1, |expected|). */
    private static double maxRelativeError(float[][] actual, double[][] expected) {
        double worst = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int v = 0; v < expected[t].length; v++) {
                worst = Math.max(worst, Math.abs(actual[t][v] - expected[t][v]) / Math.max(1, Math.abs(expected[t][v])));
            }
        }
        return worst;
    }

    /** The engine agrees with the reference, and the reference without the feature does not. */
    private static void assertMatchesOnlyWithTheFeature(float[][] engine, double[][] withFeature, double[][] withoutFeature) {
        assertThat(maxRelativeError(engine, withFeature)).as("engine against the reference").isLessThan(TOLERANCE);
        assertThat(maxRelativeError(engine, withoutFeature)).as("the feature changes the logits").isGreaterThan(20 * TOLERANCE);
    }

    private static NaiveTransformer.Family family(boolean neox) {
        return new NaiveTransformer.Family(neox, false, false, false, false, l -> false, 0);
    }

    /** Plain RoPE: pair j turns by pos · base^(-2j/d). */
    private static NaiveTransformer.RopeAngles plain(double base, int ropeDim) {
        return (pos, j) -> pos * Math.pow(base, -2.0 * j / ropeDim);
    }

    /** Per-pair frequency divisors as Llama 3.1's conversion computes them (rope_type "llama3"). */
    private static float[] llama3Divisors(double base, int ropeDim, double factor, double lowFreqFactor,
                                          double highFreqFactor, int originalContext) {
        float[] divisors = new float[ropeDim / 2];
        double lowFreqWavelength = originalContext / lowFreqFactor;
        double highFreqWavelength = originalContext / highFreqFactor;
        for (int j = 0; j < divisors.length; j++) {
            double wavelength = 2 * Math.PI / Math.pow(base, -2.0 * j / ropeDim);
            if (wavelength < highFreqWavelength) {
                divisors[j] = 1;
            } else if (wavelength > lowFreqWavelength) {
                divisors[j] = (float) factor;
            } else {
                double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                divisors[j] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return divisors;
    }

    /**
     * Llama 3.2 1B's attention (32 heads of 64 over 8 key/value heads, here 4 over 1) and rope metadata:
     * base 500000 with llama3 scaling (factor 32, original context 8192), once as the {@code rope_freqs}
     * tensor that llama.cpp's converter writes and once as the {@code rope.scaling.*} keys alone. Past a
     * few hundred positions the low-frequency pairs' division by 32 shows in the logits.
     */
    @Test
    void llama3RopeFreqsTensorAndScalingKeysMatchTheReference() throws IOException {
        Attention shape = new Attention(4, 1, 64);
        float[] divisors = llama3Divisors(500000, 64, 32, 1, 4, 8192);
        GgufWriter withTensor = new GgufWriter();
        withTensor.put("llama.rope.freq_base", 500000f);
        withTensor.addF32("rope_freqs.weight", new long[] {divisors.length}, divisors);
        random = new SplittableRandom(5);
        Path tensorFile = write("llama-3.2-rope-freqs", "llama", shape, 131072, false, withTensor);
        GgufWriter withKeys = new GgufWriter();
        withKeys.put("llama.rope.freq_base", 500000f);
        withKeys.put("llama.rope.scaling.type", "llama3");
        withKeys.put("llama.rope.scaling.factor", 32f);
        withKeys.put("llama.rope.scaling.low_freq_factor", 1f);
        withKeys.put("llama.rope.scaling.high_freq_factor", 4f);
        withKeys.putUint32("llama.rope.scaling.original_context_length", 8192);
        random = new SplittableRandom(5); // the same weights
        Path keysFile = write("llama-3.1-scaling-keys", "llama", shape, 131072, false, withKeys);

        int[] tokens = tokens(600);
        NaiveTransformer.RopeAngles llama3 = (pos, j) -> pos * Math.pow(500000, -2.0 * j / 64) / divisors[j];
        try (GgufFile tensorGguf = GgufFile.open(tensorFile); GgufFile keysGguf = GgufFile.open(keysFile)) {
            double[][] expected = new NaiveTransformer(tensorGguf, family(false), llama3).logits(tokens);
            double[][] unscaled = new NaiveTransformer(tensorGguf, family(false), plain(500000, 64)).logits(tokens);
            float[][] fromTensor = engineLogits(Architecture.load(tensorGguf, resources), tokens, tokens.length);
            float[][] fromKeys = engineLogits(Architecture.load(keysGguf, resources), tokens, tokens.length);
            assertMatchesOnlyWithTheFeature(fromTensor, expected, unscaled);
            assertMatchesOnlyWithTheFeature(fromKeys, expected, unscaled);
        }
    }

    /**
     * Qwen2.5's long-context setting (head size 128, 28 heads over 4 key/value heads, here 4 over 2):
     * base 1e6 with YaRN, factor 4 over an original context of 32768. YaRN interpolates the
     * low-frequency pairs, keeps the high-frequency ones and ramps between (β_fast 32, β_slow 1), and
     * scales cos/sin by 0.1·ln(factor) + 1.
     */
    @Test
    void yarnMatchesTheReference() throws IOException {
        Attention shape = new Attention(4, 2, 128);
        GgufWriter w = new GgufWriter();
        w.put("qwen2.rope.freq_base", 1_000_000f);
        w.put("qwen2.rope.scaling.type", "yarn");
        w.put("qwen2.rope.scaling.factor", 4f);
        w.putUint32("qwen2.rope.scaling.original_context_length", 32768);
        Path file = write("qwen2.5-yarn", "qwen2", shape, 131072, false, w);

        double base = 1e6;
        int d = 128;
        double factor = 4;
        double low = Math.max(0, Math.floor(d * Math.log(32768 / (32 * 2 * Math.PI)) / (2 * Math.log(base))));
        double high = Math.min(d - 1, Math.ceil(d * Math.log(32768 / (1 * 2 * Math.PI)) / (2 * Math.log(base))));
        NaiveTransformer.RopeAngles yarn = new NaiveTransformer.RopeAngles() {
            @Override
            public double theta(int pos, int j) {
                double extrapolated = Math.pow(base, -2.0 * j / d);
                double interpolated = extrapolated / factor;
                double ramp = Math.min(1, Math.max(0, (j - low) / (high == low ? 0.001 : high - low)));
                double keepExtrapolated = 1 - ramp;
                return pos * (interpolated * (1 - keepExtrapolated) + extrapolated * keepExtrapolated);
            }

            @Override
            public double magnitude() {
                return 0.1 * Math.log(factor) + 1;
            }
        };
        int[] tokens = tokens(40);
        try (GgufFile gguf = GgufFile.open(file)) {
            double[][] expected = new NaiveTransformer(gguf, family(true), yarn).logits(tokens);
            double[][] unscaled = new NaiveTransformer(gguf, family(true), plain(base, d)).logits(tokens);
            assertMatchesOnlyWithTheFeature(engineLogits(Architecture.load(gguf, resources), tokens, tokens.length),
                    expected, unscaled);
        }
    }

    /**
     * Phi-3-mini-128k's attention (head size 96, no grouping) and LongRoPE metadata: an original context
     * of 4096 in a 131072 one, short and long per-pair factors, attn_factor √(1 + ln 32 / ln 4096). A
     * sequence whose context fits the original length uses the short factors; a longer one the long.
     */
    @Test
    void phi3LongRopeUsesTheLongFactorsBeyondTheOriginalContext() throws IOException {
        Attention shape = new Attention(2, 2, 96);
        int pairs = 48;
        float[] shortFactors = new float[pairs];
        float[] longFactors = new float[pairs];
        for (int j = 0; j < pairs; j++) { // shaped like the published factors: ~1 short, rising to ~40 long
            shortFactors[j] = (float) (1 + 0.25 * Math.pow((double) j / pairs, 3));
            longFactors[j] = (float) (1 + 40 * Math.pow((double) j / pairs, 2));
        }
        double attnFactor = Math.sqrt(1 + Math.log(32) / Math.log(4096));
        GgufWriter w = new GgufWriter();
        w.put("phi3.rope.freq_base", 10000f);
        w.putUint32("phi3.rope.scaling.original_context_length", 4096);
        w.put("phi3.rope.scaling.attn_factor", (float) attnFactor);
        w.addF32("rope_factors_short.weight", new long[] {pairs}, shortFactors);
        w.addF32("rope_factors_long.weight", new long[] {pairs}, longFactors);
        Path file = write("phi-3-mini-128k", "phi3", shape, 131072, true, w);

        int[] tokens = tokens(40);
        try (GgufFile gguf = GgufFile.open(file)) {
            double[][] expectedShort = new NaiveTransformer(gguf, family(true), longRope(shortFactors, attnFactor)).logits(tokens);
            double[][] expectedLong = new NaiveTransformer(gguf, family(true), longRope(longFactors, attnFactor)).logits(tokens);
            Transformer model = Architecture.load(gguf, resources);
            assertMatchesOnlyWithTheFeature(engineLogits(model, tokens, 4096), expectedShort, expectedLong);
            assertMatchesOnlyWithTheFeature(engineLogits(model, tokens, 4097), expectedLong, expectedShort);
        }
    }

    private static NaiveTransformer.RopeAngles longRope(float[] factors, double attnFactor) {
        return new NaiveTransformer.RopeAngles() {
            @Override
            public double theta(int pos, int j) {
                return pos * Math.pow(10000, -2.0 * j / 96) / factors[j];
            }

            @Override
            public double magnitude() {
                return attnFactor;
            }
        };
    }

    /**
     * Mistral 7B v0.1's attention (32 heads of 128 over 8 key/value heads, here 4 over 1) with its
     * {@code attention.sliding_window} (4096 there, 6 here so that a short prompt crosses it): every
     * layer attends to the window's most recent tokens, the current one included.
     */
    @Test
    void mistralSlidingWindowMatchesTheReference() throws IOException {
        Attention shape = new Attention(4, 1, 128);
        GgufWriter w = new GgufWriter();
        w.put("llama.rope.freq_base", 10000f);
        w.putUint32("llama.attention.sliding_window", 6);
        Path file = write("mistral-7b-v0.1", "llama", shape, 32768, false, w);

        int[] tokens = tokens(20);
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Architecture.load(gguf, resources);
            assertThat(model.layers()).allSatisfy(l -> assertThat(l.window()).isEqualTo(6));
            double[][] windowed = new NaiveTransformer(gguf,
                    new NaiveTransformer.Family(false, false, false, false, false, l -> true, 0)).logits(tokens);
            double[][] full = new NaiveTransformer(gguf, family(false)).logits(tokens);
            assertMatchesOnlyWithTheFeature(engineLogits(model, tokens, tokens.length), windowed, full);
        }
    }
}
