package dev.llmplatform.guardrails;

/**
 * Who is asking and where, for the audit trail.
 *
 * @param keyId the API key's id (never the key itself), or {@code null} when keys are off
 * @param route e.g. {@code /v1/chat/completions}
 */
public record RequestContext(String keyId, String route) {
    public static final RequestContext NONE = new RequestContext(null, null);
}
