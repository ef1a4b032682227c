package dev.llmplatform.guardrails;

import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.audit.AuditSink;
import dev.llmplatform.guardrails.output.SystemPromptLeakDetector;
import dev.llmplatform.guardrails.policy.DetectorName;
import dev.llmplatform.guardrails.policy.Policy;
import dev.llmplatform.guardrails.policy.Rail;
import dev.llmplatform.guardrails.text.NormalizedText;
import dev.llmplatform.guardrails.text.TextNormalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The guardrails for one request: one policy, one caller, one placeholder vault. Check the caller's
 * messages with {@link #checkInput}, retrieved passages and tool results with {@link #checkPassage}
 * (indirect injection: drop a blocked passage), and the model's answer with {@link #checkOutput} or,
 * while it streams, {@link #newOutputStream()}. Not for concurrent use by several threads.
 */
public final class GuardSession {
    private static final TextNormalizer NORMALIZER = new TextNormalizer();

    private final CompiledPolicy compiled;
    private final RequestContext context;
    private final AuditSink audit;
    private final GuardrailsCounters counters;
    private final RedactionVault vault = new RedactionVault();
    private SystemPromptLeakDetector leak;

    GuardSession(CompiledPolicy compiled, RequestContext context, AuditSink audit, GuardrailsCounters counters) {
        this.compiled = compiled;
        this.context = context;
        this.audit = audit;
        this.counters = counters;
    }

    public Policy policy() {
        return compiled.policy();
    }

    /** The system prompt the output rail must not let the model quote; call before checking output. */
    public GuardSession systemPrompt(String systemPrompt) {
        this.leak = systemPrompt == null || systemPrompt.isBlank() ? null : new SystemPromptLeakDetector(systemPrompt);
        return this;
    }

    /** A message from the caller. */
    public Decision checkInput(String text) {
        return check(Rail.INPUT, text);
    }

    /** A retrieved passage or a tool result, before it enters the prompt. */
    public Decision checkPassage(String text) {
        return check(Rail.PASSAGE, text);
    }

    /** A complete answer of the model; redacted placeholders of this session are restored if the policy says so. */
    public Decision checkOutput(String text) {
        return check(Rail.OUTPUT, text);
    }

    /** A rail for a streamed answer: feed it the text deltas, send on what it releases. */
    public OutputStreamRail newOutputStream() {
        return new OutputStreamRail(this);
    }

    /** Placeholders of this session back to their originals (when the policy restores output). */
    public String restore(String text) {
        return policy().restoreOutput() ? vault.restore(text) : text;
    }

    RedactionVault vault() {
        return vault;
    }

    private Decision check(Rail rail, String text) {
        long t0 = System.nanoTime();
        counters.increment("checks." + rail.key());
        String normalized = text;
        List<Finding> findings = new ArrayList<>();
        if (compiled.policy().detectors(rail).contains(DetectorName.INVISIBLE)) {
            NormalizedText n = NORMALIZER.normalize(text);
            normalized = n.text();
            findings.addAll(n.findings().stream().filter(f -> f.score() >= policy().threshold(f.category())).toList());
        }
        findings.addAll(scan(rail, normalized));
        Action overall = Action.ALLOW;
        String blockedBy = null;
        List<Finding> toRedact = new ArrayList<>();
        for (Finding f : findings) {
            Action a = policy().action(f.category(), rail);
            if (a == Action.BLOCK && blockedBy == null) {
                blockedBy = f.category();
            }
            if (a == Action.REDACT) {
                toRedact.add(f);
            }
            overall = Action.max(overall, a);
        }
        // On the output rail the caller's placeholders are restored between the spans redacted here.
        java.util.function.UnaryOperator<String> between = rail == Rail.OUTPUT ? this::restore : s -> s;
        String result = overall == Action.BLOCK ? null : vault.redactRestoring(normalized, toRedact, between);
        long micros = (System.nanoTime() - t0) / 1000;
        for (Finding f : findings) {
            record(rail, f, policy().action(f.category(), rail), micros);
        }
        return new Decision(overall, result, findings, blockedBy);
    }

    List<Finding> scan(Rail rail, String text) {
        return compiled.scan(rail, text, leak);
    }

    void record(Rail rail, Finding f, Action action, long latencyMicros) {
        counters.increment("findings." + rail.key() + "." + f.category() + "." + action.lowerName());
        audit.record(new AuditEvent(Instant.now(), context.keyId(), context.route(), policy().name(), rail.key(),
                f.detector(), f.category(), action.lowerName(), f.score(), latencyMicros, f.start(), f.end()));
    }
}
