package dev.llmplatform.api.web;

import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.api.security.KeyPrincipal;
import dev.llmplatform.guardrails.Action;
import dev.llmplatform.guardrails.Decision;
import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.GuardSession;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.RequestContext;
import dev.llmplatform.guardrails.policy.PolicySet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Where inference requests meet the guardrails: one {@link GuardSession} per request, under the caller's
 * key's policy (else {@code llmp.guardrails.policy}); a blocked input becomes a 400 naming the category
 * (never the matched text), a redacted one reaches the model redacted; every decision other than allow is
 * counted in the metrics (the session audits it). {@code llmp.guardrails.enabled=false} turns the rails off.
 *
 * <p>The policy served by default is {@code fast} when the policy file has one, else {@code default}:
 * rules, patterns and checksums, no sentence encoder. The classifier-backed {@code default} policy no longer
 * blocks the benchmark's long prompts, but it refuses about 2 % of short ordinary requests (its cross-validated
 * false-positive rate, docs/guardrails.md), one caller in fifty, so it stays opt-in
 * ({@code llmp.guardrails.policy=default}, or per key).
 */
@Component
public class GuardrailsGate {
    private final Guardrails guardrails;
    private final PlatformMetrics metrics;
    private final String defaultPolicy;
    private final boolean enabled;

    public GuardrailsGate(Guardrails guardrails, PlatformMetrics metrics,
                          @Value("${llmp.guardrails.policy:}") String configuredPolicy,
                          @Value("${llmp.guardrails.enabled:true}") boolean enabled) {
        this.guardrails = guardrails;
        this.metrics = metrics;
        this.defaultPolicy = configuredPolicy != null && !configuredPolicy.isBlank() ? configuredPolicy
                : guardrails.policies().names().contains("fast") ? "fast" : PolicySet.DEFAULT;
        this.enabled = enabled;
        if (enabled) {
            guardrails.session(defaultPolicy, RequestContext.NONE); // an unknown policy fails at startup
        }
    }

    /** The request's session, or null when the rails are off. */
    public GuardSession open(HttpServletRequest request) {
        if (!enabled) {
            return null;
        }
        KeyPrincipal key = KeyPrincipal.of(request);
        String policy = key.policy() != null ? key.policy() : defaultPolicy;
        return guardrails.session(policy, new RequestContext(key.keyId(), request.getRequestURI()));
    }

    /** A caller's text: what the model may see, or a 400 when the policy blocks it. */
    public String input(GuardSession session, String text, String param) {
        return session == null ? text : enforce(session.checkInput(text), param);
    }

    /**
     * A chat message on its way in: users' messages through the input rail (blocked → 400), tool results
     * through the passage rail (indirect injection), the system prompt noted for the leak check on output.
     */
    public String screen(GuardSession session, String role, String content, String param) {
        if (session == null || content == null || content.isEmpty()) {
            return content;
        }
        return switch (role) {
            case "system" -> {
                session.systemPrompt(content);
                yield content;
            }
            case "tool", "function" -> {
                String kept = passage(session, content);
                yield kept != null ? kept : "[tool result removed by the guardrails policy]";
            }
            case "user" -> input(session, content, param);
            default -> content;
        };
    }

    /** A retrieved passage or tool result: what may enter the prompt, or null when it must be dropped. */
    public String passage(GuardSession session, String text) {
        if (session == null) {
            return text;
        }
        Decision d = count(session.checkPassage(text));
        return d.blocked() ? null : d.text();
    }

    /** A finished answer: what the caller may see (placeholders restored), or null when it is blocked. */
    public Decision output(GuardSession session, String text) {
        return session == null ? null : count(session.checkOutput(text));
    }

    private String enforce(Decision d, String param) {
        count(d);
        if (d.blocked()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, d.blockMessage(), "invalid_request_error", param, "content_filter");
        }
        return d.text();
    }

    Decision count(Decision d) {
        if (d.action() != Action.ALLOW) {
            String action = d.action().name().toLowerCase(Locale.ROOT);
            if (d.blocked()) {
                metrics.guardrailDecision(d.blockedCategory(), action);
            } else {
                for (Finding f : d.findings()) {
                    metrics.guardrailDecision(String.valueOf(f.category()), action);
                }
            }
        }
        return d;
    }
}
