package dev.llmplatform.guardrails.injection;

/**
 * The first stage of the injection cascade: a logistic regression over the hashed lexical features alone
 * (microseconds per window). A window scoring below {@code threshold} is judged benign without the
 * sentence encoder; only the others are embedded and scored by the full classifier. The threshold is
 * chosen by {@link InjectionTrainer} on inner out-of-fold scores so that it lets through
 * {@link InjectionTrainer#GATE_ATTACK_RECALL} of the training attacks.
 *
 * @param weights   one weight per lexical hash bucket
 * @param bias      the intercept
 * @param threshold the lexical probability at or above which the encoder runs
 */
public record LexicalGate(float[] weights, float bias, double threshold) {
    public LexicalGate {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a lexical gate needs lexical weights");
        }
        if (threshold < 0 || threshold >= 1) {
            throw new IllegalArgumentException("gate threshold must be in [0, 1), got " + threshold);
        }
    }

    /** P(injection) from wording alone; {@code lexical} from {@link LexicalFeatures#of} with {@code weights.length} buckets. */
    public double probability(FeatureVector lexical) {
        double z = bias;
        for (int j = 0; j < lexical.index().length; j++) {
            z += weights[lexical.index()[j]] * lexical.value()[j];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** Whether the window needs the encoder (its lexical score is not clearly benign). */
    public boolean passes(FeatureVector lexical) {
        return probability(lexical) >= threshold;
    }

    static LexicalGate fromCoefficients(double[] beta, double threshold) {
        float[] w = new float[beta.length - 1];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) beta[i];
        }
        return new LexicalGate(w, (float) beta[beta.length - 1], threshold);
    }
}
