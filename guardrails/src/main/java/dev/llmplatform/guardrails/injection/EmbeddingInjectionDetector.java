package dev.llmplatform.guardrails.injection;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt injection by a classifier over sentence embeddings and wording; each encoder window of the text is scored
 * and a window at or above the threshold is a finding over that window. When the classifier has a lexical gate,
 * only the windows the gate passes are embedded (a cascade): ordinary text usually costs no encoder pass at all.
 */
public final class EmbeddingInjectionDetector {
    private final InjectionClassifier classifier;

    public EmbeddingInjectionDetector(InjectionClassifier classifier) {
        this.classifier = classifier;
    }

    public List<Finding> detect(EmbeddedText text) {
        int n = text.windows().size();
        List<FeatureVector> lexical = new ArrayList<>(n);
        List<Integer> gated = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FeatureVector x = classifier.lexicalFeatures(text.window(i));
            lexical.add(x);
            if (classifier.needsEncoder(x)) {
                gated.add(i);
            }
        }
        List<Finding> found = new ArrayList<>();
        if (gated.isEmpty()) {
            return found;
        }
        int[] which = gated.stream().mapToInt(Integer::intValue).toArray();
        List<float[]> vectors = text.vectors(which, classifier.encoderLayers());
        for (int k = 0; k < which.length; k++) {
            int i = which[k];
            double p = classifier.probability(vectors.get(k), lexical.get(i));
            if (p >= classifier.threshold()) {
                int[] w = text.windows().get(i);
                found.add(new Finding(Category.PROMPT_INJECTION, w[0], w[1], p, "injection-classifier"));
            }
        }
        return found;
    }

    public InjectionClassifier classifier() {
        return classifier;
    }
}
