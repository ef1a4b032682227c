package dev.llmplatform.engine.runtime;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: penalties and logit bias on the full vocabulary, the
 * {@link LogitsConstraint} mask, then the {@link SamplerStage} chain and a seeded random draw (or the
 * arg-max when greedy). One sampler per sequence: it owns vocabulary-sized scratch buffers, so a step
 * allocates nothing, and its random generator, so a seed reproduces a whole generation.
 */
public final class Sampler {
    private final SamplingParams params;
    private final int vocabSize;
    private final int[] endTokens;
    private final List<SamplerStage> stages = new ArrayList<>();
    private final SplittableRandom random;
    private final float[] adjusted;
    private final int[] counts;
    private final Candidates candidates;
    private final BitSet allowed;
    private final int[] biasIds;
    private final float[] biasValues;

    /**
     * @param endTokens ids that end generation; under a constraint they are allowed only when it can end
     */
    public Sampler(SamplingParams params, int vocabSize, int... endTokens) {
        this.params = params;
        this.vocabSize = vocabSize;
        this.endTokens = endTokens.clone();
        this.random = params.seed() != null ? new SplittableRandom(params.seed()) : new SplittableRandom();
        this.adjusted = new float[vocabSize];
        this.counts = new int[vocabSize];
        this.candidates = new Candidates(vocabSize);
        this.allowed = new BitSet(vocabSize);
        this.biasIds = new int[params.logitBias().size()];
        this.biasValues = new float[biasIds.length];
        int i = 0;
        for (Map.Entry<Integer, Float> bias : params.logitBias().entrySet()) {
            biasIds[i] = bias.getKey();
            biasValues[i++] = bias.getValue();
        }
        if (params.topK() > 0) {
            stages.add(new SamplerStage.TopK(params.topK()));
        }
        if (params.topP() < 1f) {
            stages.add(new SamplerStage.TopP(params.topP()));
        }
        if (params.minP() > 0f) {
            stages.add(new SamplerStage.MinP(params.minP()));
        }
        if (!params.isGreedy() && params.temperature() != 1f) {
            stages.add(new SamplerStage.Temperature(params.temperature()));
        }
    }

    public SamplingParams params() {
        return params;
    }

    /** The filters applied before the draw, in order. */
    public List<SamplerStage> stages() {
        return List.copyOf(stages);
    }

    /**
     * Chooses the next token.
     *
     * @param logits     the model's logits (not modified)
     * @param history    the tokens so far, for the penalties
     * @param constraint restricts the choice, or null
     * @throws IllegalStateException if the constraint allows no token
     */
    public int sample(float[] logits, TokenHistory history, LogitsConstraint constraint) {
        System.arraycopy(logits, 0, adjusted, 0, vocabSize);
        applyPenalties(history);
        for (int i = 0; i < biasIds.length; i++) {
            if (biasIds[i] >= 0 && biasIds[i] < vocabSize) {
                adjusted[biasIds[i]] += biasValues[i];
            }
        }
        if (constraint != null) {
            applyConstraint(constraint);
        }
        if (params.isGreedy()) {
            return argmax();
        }
        candidates.fill(adjusted);
        if (candidates.size == 0) {
            throw new IllegalStateException("no token is allowed at this step");
        }
        for (SamplerStage stage : stages) {
            stage.apply(candidates);
        }
        return draw();
    }

    /** Repetition (divide positive / multiply negative logits), frequency and presence penalties. */
    private void applyPenalties(TokenHistory history) {
        boolean active = params.repetitionPenalty() != 1f || params.frequencyPenalty() != 0f || params.presencePenalty() != 0f;
        if (!active || params.penaltyLastN() == 0 || history == null) {
            return;
        }
        int end = history.length();
        int start = params.penaltyLastN() < 0 ? 0 : Math.max(0, end - params.penaltyLastN());
        for (int i = start; i < end; i++) {
            int id = history.tokenAt(i);
            if (id >= 0 && id < vocabSize) {
                counts[id]++;
            }
        }
        for (int i = start; i < end; i++) {
            int id = history.tokenAt(i);
            if (id < 0 || id >= vocabSize || counts[id] == 0) {
                continue;
            }
            float l = adjusted[id];
            l = l > 0 ? l / params.repetitionPenalty() : l * params.repetitionPenalty();
            l -= counts[id] * params.frequencyPenalty() + params.presencePenalty();
            adjusted[id] = l;
            counts[id] = 0; // each distinct token is penalised once
        }
    }

    private void applyConstraint(LogitsConstraint constraint) {
        allowed.clear();
        constraint.allowedTokens(allowed);
        if (!constraint.canEnd()) {
            for (int id : endTokens) {
                if (id >= 0) {
                    allowed.clear(id);
                }
            }
        }
        for (int id = allowed.nextClearBit(0); id < vocabSize; id = allowed.nextClearBit(id + 1)) {
            adjusted[id] = Float.NEGATIVE_INFINITY;
        }
    }

    private int argmax() {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) {
            if (adjusted[i] > max) {
                max = adjusted[i];
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no token is allowed at this step");
        }
        return best;
    }

    /** Draws from the softmax of the remaining candidates. */
    private int draw() {
        Candidates c = candidates;
        float max = c.maxLogit();
        double total = 0;
        for (int i = 0; i < c.size; i++) {
            total += Math.exp(c.logits[i] - max);
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < c.size; i++) {
            cumulative += Math.exp(c.logits[i] - max);
            if (u < cumulative) {
                return c.ids[i];
            }
        }
        return c.ids[c.size - 1];
    }
}
