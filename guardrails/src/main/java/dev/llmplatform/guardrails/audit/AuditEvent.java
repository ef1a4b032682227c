package dev.llmplatform.guardrails.audit;

import java.time.Instant;

/**
 * One guardrail decision about one finding. It carries no text of the request: only where the finding
 * was (offsets), what it was and what was done.
 *
 * @param time      when the check ran
 * @param keyId     the API key's id, or {@code null}
 * @param route     the HTTP route or CLI command, or {@code null}
 * @param policy    the policy that decided
 * @param rail      {@code input}, {@code passage} or {@code output}
 * @param detector  the detector and rule
 * @param category  the finding's category
 * @param action    {@code flag}, {@code redact} or {@code block}
 * @param score     the detector's confidence
 * @param latencyMicros how long the whole check took
 * @param start     the finding's first character in the checked text
 * @param end       one past its last character
 */
public record AuditEvent(Instant time, String keyId, String route, String policy, String rail, String detector,
                         String category, String action, double score, long latencyMicros, int start, int end) {
}
