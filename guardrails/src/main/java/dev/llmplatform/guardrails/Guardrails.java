package dev.llmplatform.guardrails;

import dev.llmplatform.guardrails.audit.AuditSink;
import dev.llmplatform.guardrails.injection.InjectionClassifier;
import dev.llmplatform.guardrails.policy.PolicySet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The guardrails' entry point: policies, detectors, audit. Thread-safe; one per application.
 * Per request, open a {@link GuardSession}; it checks the caller's messages, retrieved passages and
 * tool results, and the model's output (whole or streamed), with one placeholder vault per conversation.
 *
 * <p>The sentence encoder and the classifier load on first use by a policy that needs them.
 */
public final class Guardrails {
    private final PolicySet policies;
    private final AuditSink audit;
    private final Supplier<TextEmbedder> embedder;
    private final Supplier<InjectionClassifier> classifier;
    private final Map<String, CompiledPolicy> compiled = new ConcurrentHashMap<>();
    private final GuardrailsCounters counters = new GuardrailsCounters();

    public Guardrails(PolicySet policies, AuditSink audit, Supplier<TextEmbedder> embedder, Supplier<InjectionClassifier> classifier) {
        this.policies = policies;
        this.audit = audit;
        this.embedder = memoize(embedder);
        this.classifier = memoize(classifier);
    }

    /** With the bundled all-MiniLM-L6-v2 encoder and the shipped classifier weights. */
    public static Guardrails withDefaultModels(PolicySet policies, AuditSink audit) {
        return new Guardrails(policies, audit, EncoderTextEmbedder::loadDefault, InjectionClassifier::loadDefault);
    }

    /**
     * A session for one request or conversation.
     *
     * @param policyName a policy of this configuration; {@code null} for {@code default}
     * @throws IllegalArgumentException for an unknown policy name
     */
    public GuardSession session(String policyName, RequestContext context) {
        String name = policies.get(policyName).name();
        CompiledPolicy p = compiled.computeIfAbsent(name, n -> new CompiledPolicy(policies.get(n), embedder, classifier));
        return new GuardSession(p, context == null ? RequestContext.NONE : context, audit, counters);
    }

    public PolicySet policies() {
        return policies;
    }

    public GuardrailsCounters counters() {
        return counters;
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = s.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
