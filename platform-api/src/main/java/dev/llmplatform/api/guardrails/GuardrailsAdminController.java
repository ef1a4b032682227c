package dev.llmplatform.api.guardrails;

import dev.llmplatform.api.web.ApiException;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.audit.AuditEvent;
import dev.llmplatform.guardrails.audit.AuditPage;
import dev.llmplatform.guardrails.audit.AuditQuery;
import dev.llmplatform.guardrails.audit.AuditStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The guardrails' audit trail and counters for administrators. */
@RestController
@RequestMapping("/v1/admin/guardrails")
public class GuardrailsAdminController {
    private static final Set<String> ACTIONS = Set.of("flag", "redact", "block");

    private final AuditStore audit;
    private final Guardrails guardrails;

    public GuardrailsAdminController(AuditStore audit, Guardrails guardrails) {
        this.audit = audit;
        this.guardrails = guardrails;
    }

    /**
     * Audit events, newest first. {@code category} is a category ({@code EMAIL_ADDRESS}) or a family
     * ({@code PII}); {@code since} an ISO-8601 instant; page with {@code offset} and {@code limit}.
     */
    @GetMapping("/events")
    public Map<String, Object> events(@RequestParam(required = false) String category,
                                      @RequestParam(required = false) String action,
                                      @RequestParam(required = false) String since,
                                      @RequestParam(defaultValue = "0") String offset,
                                      @RequestParam(defaultValue = "50") String limit) {
        if (action != null && !ACTIONS.contains(action)) {
            throw ApiException.invalidRequest("action must be one of flag, redact, block", "action");
        }
        Instant from = null;
        if (since != null && !since.isBlank()) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw ApiException.invalidRequest("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z", "since");
            }
        }
        int off = integer(offset, "offset", 0, Integer.MAX_VALUE);
        int lim = integer(limit, "limit", 1, AuditQuery.MAX_LIMIT);
        AuditPage page = audit.query(new AuditQuery(category == null || category.isBlank() ? null : category, action, from, off, lim));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", page.events().stream().map(GuardrailsAdminController::json).toList());
        body.put("has_more", page.hasMore());
        body.put("next_offset", page.hasMore() ? off + page.events().size() : null);
        return body;
    }

    /** Checks and findings counted since startup, e.g. {@code findings.input.EMAIL_ADDRESS.redact}. */
    @GetMapping("/counters")
    public Map<String, Object> counters() {
        return Map.of("object", "guardrails.counters", "policies", List.copyOf(guardrails.policies().names()),
                "counters", guardrails.counters().snapshot());
    }

    private static int integer(String value, String param, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.invalidRequest(param + " must be an integer between " + min + " and " + max, param);
    }

    private static Map<String, Object> json(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", e.time().toString());
        m.put("key_id", e.keyId());
        m.put("route", e.route());
        m.put("policy", e.policy());
        m.put("rail", e.rail());
        m.put("detector", e.detector());
        m.put("category", e.category());
        m.put("action", e.action());
        m.put("score", e.score());
        m.put("latency_us", e.latencyMicros());
        m.put("start", e.start());
        m.put("end", e.end());
        return m;
    }
}
