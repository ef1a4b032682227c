package dev.llmplatform.guardrails.injection;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.EmbeddedText;
import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompt injection by a classifier over sentence embeddings and wording; each encoder window of the text is scored
 * and a window at or above the threshold is a finding over that window.
 */
public final class EmbeddingInjectionDetector {
    private final InjectionClassifier classifier;

    public EmbeddingInjectionDetector(InjectionClassifier classifier) {
        this.classifier = classifier;
    }

    public List<Finding> detect(EmbeddedText text) {
        List<Finding> found = new ArrayList<>();
        List<float[]> vectors = text.vectors();
        for (int i = 0; i < vectors.size(); i++) {
            int[] w = text.windows().get(i);
            double p = classifier.probability(vectors.get(i), text.text().substring(w[0], w[1]));
            if (p >= classifier.threshold()) {
                found.add(new Finding(Category.PROMPT_INJECTION, w[0], w[1], p, "injection-classifier"));
            }
        }
        return found;
    }

    public InjectionClassifier classifier() {
        return classifier;
    }
}
