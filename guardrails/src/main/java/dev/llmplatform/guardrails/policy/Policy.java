package dev.llmplatform.guardrails.policy;

import dev.llmplatform.guardrails.Action;
import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.topics.Topic;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named set of rules: which detectors run on each rail, the minimum score per category, and the
 * action per category. Actions and thresholds are looked up by category, then by family ({@code PII},
 * {@code SECRET}, {@code INJECTION}, ...), then {@code default}; {@code output_actions} override
 * {@code actions} on the output rail.
 *
 * @param classifierThreshold P(injection) at or above which the classifier fires; {@code null} = the threshold
 *                      chosen with the classifier's weights (docs/guardrails.md)
 * @param restoreOutput whether placeholders the input rail put in (e.g. {@code <EMAIL_1>}) are restored
 *                      in the model's output for the same caller
 */
public record Policy(String name, Map<Rail, Set<DetectorName>> detectors, Map<String, Action> actions,
                     Map<String, Action> outputActions, Map<String, Double> thresholds, Double classifierThreshold,
                     boolean restoreOutput, List<Topic> topics, List<String> denyTerms) {
    public static final String DEFAULT_KEY = "default";

    public Policy {
        detectors = Map.copyOf(detectors);
        actions = Map.copyOf(actions);
        outputActions = Map.copyOf(outputActions);
        thresholds = Map.copyOf(thresholds);
        topics = List.copyOf(topics);
        denyTerms = List.copyOf(denyTerms);
    }

    public Set<DetectorName> detectors(Rail rail) {
        return detectors.getOrDefault(rail, EnumSet.noneOf(DetectorName.class));
    }

    public Action action(String category, Rail rail) {
        if (rail == Rail.OUTPUT) {
            Action a = lookup(outputActions, category);
            if (a != null) {
                return a;
            }
        }
        Action a = lookup(actions, category);
        return a != null ? a : Action.FLAG;
    }

    public double threshold(String category) {
        Double t = lookup(thresholds, category);
        return t != null ? t : 0.0;
    }

    public boolean usesEmbeddings() {
        return detectors.values().stream().flatMap(Set::stream).anyMatch(DetectorName::usesEmbeddings);
    }

    private static <V> V lookup(Map<String, V> map, String category) {
        V v = map.get(category);
        if (v == null) {
            v = map.get(Category.family(category));
        }
        return v != null ? v : map.get(DEFAULT_KEY);
    }
}
