package dev.llmplatform.guardrails;

import dev.llmplatform.guardrails.injection.EmbeddingInjectionDetector;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import dev.llmplatform.guardrails.injection.InjectionRuleDetector;
import dev.llmplatform.guardrails.output.SystemPromptLeakDetector;
import dev.llmplatform.guardrails.pii.PiiDetector;
import dev.llmplatform.guardrails.policy.DetectorName;
import dev.llmplatform.guardrails.policy.Policy;
import dev.llmplatform.guardrails.policy.Rail;
import dev.llmplatform.guardrails.secrets.SecretDetector;
import dev.llmplatform.guardrails.topics.DenyListDetector;
import dev.llmplatform.guardrails.topics.TopicDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** A policy with its detectors built: runs the detectors a rail calls for and applies the thresholds. */
final class CompiledPolicy {
    private static final PiiDetector PII = new PiiDetector();
    private static final SecretDetector SECRETS = new SecretDetector();
    private static final InjectionRuleDetector INJECTION_RULES = new InjectionRuleDetector();

    private final Policy policy;
    private final DenyListDetector denyList;
    private final Supplier<TextEmbedder> embedder;
    private final Supplier<EmbeddingInjectionDetector> classifier;
    private volatile TopicDetector topics;
    private volatile PiiDetector contextualPii;

    CompiledPolicy(Policy policy, Supplier<TextEmbedder> embedder, Supplier<InjectionClassifier> classifier) {
        this.policy = policy;
        this.embedder = embedder;
        this.denyList = new DenyListDetector(policy.denyTerms());
        this.classifier = () -> new EmbeddingInjectionDetector(policy.classifierThreshold() == null
                ? classifier.get() : classifier.get().withThreshold(policy.classifierThreshold()));
    }

    Policy policy() {
        return policy;
    }

    /** Findings of the rail's detectors in {@code text} (already normalised), thresholds applied. */
    List<Finding> scan(Rail rail, String text, SystemPromptLeakDetector leak) {
        Set<DetectorName> on = policy.detectors(rail);
        List<Finding> all = new ArrayList<>();
        boolean classify = on.contains(DetectorName.INJECTION_CLASSIFIER);
        boolean topic = on.contains(DetectorName.TOPICS) && !policy.topics().isEmpty();
        // One encoder pass per window, shared by the embedding detectors and the PII tagger's contextual head.
        EmbeddedText embedded = (classify || topic) && !text.isBlank() ? new EmbeddedText(text, embedder.get()) : null;
        try {
            if (on.contains(DetectorName.PII)) {
                all.addAll(embedded == null ? PII.detect(text) : contextualPii().detect(embedded));
            }
            if (on.contains(DetectorName.SECRETS)) {
                all.addAll(SECRETS.detect(text));
            }
            if (on.contains(DetectorName.INJECTION)) {
                all.addAll(INJECTION_RULES.detect(text));
            }
            if (on.contains(DetectorName.DENY_LIST)) {
                all.addAll(denyList.detect(text));
            }
            if (on.contains(DetectorName.SYSTEM_PROMPT_LEAK) && leak != null) {
                all.addAll(leak.detect(text));
            }
            if (embedded != null) {
                if (classify) {
                    all.addAll(classifier.get().detect(embedded));
                }
                if (topic) {
                    all.addAll(topics().detect(embedded));
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close(); // the encoder workspace goes back for the next check
            }
        }
        return all.stream().filter(f -> f.score() >= policy.threshold(f.category())).toList();
    }

    /**
     * On a rail that already runs the sentence encoder (the injection classifier or topics), PII also uses the
     * tagger's contextual head over the encoder's token states; elsewhere (the fast policy, streamed output) the
     * rules and the tagger alone. An embedder without the engine's encoder (tests) keeps the plain detector.
     */
    private PiiDetector contextualPii() {
        PiiDetector d = contextualPii;
        if (d == null) {
            synchronized (this) {
                if (contextualPii == null) {
                    contextualPii = embedder.get() instanceof EncoderTextEmbedder encoder ? PiiDetector.withEncoder(encoder.encoder()) : PII;
                }
                d = contextualPii;
            }
        }
        return d;
    }

    private TopicDetector topics() {
        TopicDetector t = topics;
        if (t == null) {
            synchronized (this) {
                if (topics == null) {
                    topics = new TopicDetector(policy.topics(), embedder.get());
                }
                t = topics;
            }
        }
        return t;
    }
}
