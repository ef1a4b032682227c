package dev.llmplatform.engine.model;

/**
 * Rotary position embedding for one set of layers. Dimension pair {@code j} (of {@code ropeDim/2})
 * turns by {@code pos · base^(-2j/ropeDim)}, adjusted by the context scaling.
 *
 * <p>Two pairings exist and models are trained with exactly one: {@link Pairing#ADJACENT} rotates
 * elements (2j, 2j+1) (llama's original layout), {@link Pairing#NEOX} rotates (j, j + ropeDim/2)
 * (GPT-NeoX layout: qwen2/3, phi3, gemma).
 *
 * <p>Phi-3's LongRoPE trains two sets of per-pair frequency divisors: the short factors for contexts
 * within the original training length and the long factors beyond it. A rope built by
 * {@link #longRope} holds both; {@link #forContext} picks one per sequence from the context its KV
 * cache holds (as llama.cpp does from the context size), so every position of a sequence is rotated
 * with the same factors and cached keys never mix the two.
 */
public final class Rope {

    public enum Pairing { ADJACENT, NEOX }

    private final Pairing pairing;
    private final int ropeDim;
    /** Angle per position of each pair without interpolation. */
    private final double[] extrapolated;
    /** YaRN's mix between interpolated and extrapolated angles per pair (0 = fully interpolated). */
    private final double[] yarnMix;
    /** Interpolation scale applied to angles (1/factor for linear and YaRN). */
    private final double freqScale;
    /** Multiplier of cos and sin (YaRN's attention temperature), 1 otherwise. */
    private final double magnitude;
    /** LongRoPE: the rope with the long factors, used by sequences whose context exceeds {@link #originalContext}. */
    private final Rope longContext;
    private final int originalContext;

    /**
     * @param freqFactors per-pair divisors of the frequency (llama3's {@code rope_freqs} tensor), or null
     */
    public Rope(Pairing pairing, int ropeDim, double base, RopeScaling scaling, float[] freqFactors) {
        this(pairing, ropeDim, base, scaling, freqFactors, null, 0);
    }

    /**
     * Phi-3's LongRoPE: {@code shortFactors} for sequences whose context is at most
     * {@code originalContext} tokens, {@code longFactors} for longer ones (both per-pair divisors).
     */
    public static Rope longRope(Pairing pairing, int ropeDim, double base, RopeScaling scaling,
                                float[] shortFactors, float[] longFactors, int originalContext) {
        if (originalContext <= 0) {
            throw new IllegalArgumentException("LongRoPE needs the original context length, got " + originalContext);
        }
        Rope longRope = new Rope(pairing, ropeDim, base, scaling, longFactors);
        return new Rope(pairing, ropeDim, base, scaling, shortFactors, longRope, originalContext);
    }

    private Rope(Pairing pairing, int ropeDim, double base, RopeScaling scaling, float[] freqFactors,
                 Rope longContext, int originalContext) {
        this.longContext = longContext;
        this.originalContext = originalContext;
        this.pairing = pairing;
        this.ropeDim = ropeDim;
        int pairs = ropeDim / 2;
        if (freqFactors != null && freqFactors.length < pairs) {
            throw new IllegalArgumentException("rope_freqs has " + freqFactors.length + " values, expected " + pairs);
        }
        if (freqFactors == null && scaling.type() == RopeScaling.Type.LLAMA3) {
            freqFactors = llama3Factors(pairs, ropeDim, base, scaling);
        }
        extrapolated = new double[pairs];
        yarnMix = new double[pairs];
        for (int j = 0; j < pairs; j++) {
            double freq = Math.pow(base, -2.0 * j / ropeDim);
            extrapolated[j] = freqFactors != null ? freq / freqFactors[j] : freq;
        }
        double mag = scaling.attnFactor();
        switch (scaling.type()) {
            case LINEAR -> freqScale = 1.0 / scaling.factor();
            case YARN -> {
                freqScale = 1.0 / scaling.factor();
                double[] corr = yarnCorrectionRange(ropeDim, scaling.originalContext(), base);
                for (int j = 0; j < pairs; j++) {
                    double y = (j - corr[0]) / Math.max(0.001, corr[1] - corr[0]);
                    yarnMix[j] = 1.0 - Math.min(1.0, Math.max(0.0, y));
                }
                mag *= 1.0 + 0.1 * Math.log(scaling.factor());
            }
            default -> freqScale = 1.0;
        }
        magnitude = mag;
    }

    public int ropeDim() {
        return ropeDim;
    }

    /** The rope for a sequence whose cache holds {@code contextLength} positions (see {@link #longRope}). */
    public Rope forContext(int contextLength) {
        return longContext != null && contextLength > originalContext ? longContext : this;
    }

    /** Fills {@code cos[0..ropeDim/2)} and {@code sin[..]} with the rotation of each pair at {@code pos}. */
    public void angles(int pos, float[] cos, float[] sin) {
        for (int j = 0; j < extrapolated.length; j++) {
            double extra = pos * extrapolated[j];
            double theta = extra * freqScale;
            if (yarnMix[j] != 0) {
                theta = theta * (1 - yarnMix[j]) + extra * yarnMix[j];
            }
            cos[j] = (float) (Math.cos(theta) * magnitude);
            sin[j] = (float) (Math.sin(theta) * magnitude);
        }
    }

    /** Rotates the first ropeDim elements of {@code count} heads of width {@code headDim} starting at {@code off}. */
    public void rotate(float[] x, int off, int count, int headDim, float[] cos, float[] sin) {
        int half = ropeDim / 2;
        for (int h = 0; h < count; h++) {
            int base = off + h * headDim;
            for (int j = 0; j < half; j++) {
                int i0 = pairing == Pairing.NEOX ? base + j : base + 2 * j;
                int i1 = pairing == Pairing.NEOX ? base + j + half : base + 2 * j + 1;
                float a = x[i0];
                float b = x[i1];
                x[i0] = a * cos[j] - b * sin[j];
                x[i1] = a * sin[j] + b * cos[j];
            }
        }
    }

    /** The pair range [low, high] where YaRN blends from extrapolation to interpolation (β_fast 32, β_slow 1). */
    private static double[] yarnCorrectionRange(int ropeDim, int originalContext, double base) {
        double low = Math.floor(correctionDim(ropeDim, originalContext, base, 32));
        double high = Math.ceil(correctionDim(ropeDim, originalContext, base, 1));
        return new double[] {Math.max(0, low), Math.min(ropeDim - 1, high)};
    }

    private static double correctionDim(int ropeDim, int originalContext, double base, double rotations) {
        return ropeDim * Math.log(originalContext / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    /** Llama 3.1's piecewise frequency divisors, for files that give the parameters instead of the tensor. */
    private static float[] llama3Factors(int pairs, int ropeDim, double base, RopeScaling s) {
        float[] out = new float[pairs];
        double lowWavelen = s.originalContext() / s.lowFreqFactor();
        double highWavelen = s.originalContext() / s.highFreqFactor();
        for (int j = 0; j < pairs; j++) {
            double freq = Math.pow(base, -2.0 * j / ropeDim);
            double wavelen = 2 * Math.PI / freq;
            double scaled;
            if (wavelen < highWavelen) {
                scaled = freq;
            } else if (wavelen > lowWavelen) {
                scaled = freq / s.factor();
            } else {
                double smooth = (s.originalContext() / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
                scaled = (1 - smooth) * freq / s.factor() + smooth * freq;
            }
            out[j] = (float) (freq / scaled);
        }
        return out;
    }
}
