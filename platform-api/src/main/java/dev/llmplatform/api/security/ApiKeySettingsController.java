package dev.llmplatform.api.security;

import dev.llmplatform.api.ratelimit.RateLimiter;
import dev.llmplatform.api.web.ApiException;
import dev.llmplatform.guardrails.Guardrails;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code PATCH /v1/admin/keys/{id}}: change an existing key's allowed models and collections, guardrail
 * policy and rate limits (what the console's key editor needs; the secret, name and role stay). Members
 * left out keep their value; {@code null} resets a policy or limit to the server default and an empty list
 * lifts a scope. Admin-only through {@link AuthenticationFilter}, as every {@code /v1/admin} route.
 */
@RestController
@Tag(name = "Admin: API keys")
public class ApiKeySettingsController {
    private final ApiKeyStore store;
    private final AuthGate gate;
    private final RateLimiter limiter;
    private final Guardrails guardrails;

    public ApiKeySettingsController(ApiKeyStore store, AuthGate gate, RateLimiter limiter, Guardrails guardrails) {
        this.store = store;
        this.gate = gate;
        this.limiter = limiter;
        this.guardrails = guardrails;
    }

    @PatchMapping("/v1/admin/keys/{id}")
    @Operation(summary = "Change a key's allowed models/collections, policy and limits; omitted members are kept")
    public ApiKeysController.KeyView update(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalidRequest("the request body must be a JSON object", null);
        }
        ApiKey key = store.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "No API key with id '" + id + "'",
                "invalid_request_error", "id", "key_not_found"));
        if (key.revoked()) {
            throw new ApiException(HttpStatus.CONFLICT, "API key '" + id + "' is revoked; create a new one instead",
                    "invalid_request_error", "id", "key_revoked");
        }
        NewKey settings = new NewKey(key.name(), key.role(),
                body.has("allowed_models") ? names(body, "allowed_models") : key.allowedModels(),
                body.has("allowed_collections") ? names(body, "allowed_collections") : key.allowedCollections(),
                body.has("policy") ? policy(body.get("policy")) : key.policy(),
                body.has("requests_per_minute") ? limit(body, "requests_per_minute") : key.requestsPerMinute(),
                body.has("tokens_per_minute") ? limit(body, "tokens_per_minute") : key.tokensPerMinute());
        try {
            store.updateSettings(id, settings);
        } catch (InvalidKeyException e) {
            throw ApiException.invalidRequest(e.getMessage(), e.param());
        }
        limiter.forget(id); // its buckets are rebuilt with the new limits on the next request
        gate.keysChanged();
        return ApiKeysController.KeyView.of(store.find(id).orElseThrow(), null);
    }

    private static List<String> names(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw ApiException.invalidRequest("'" + field + "' must be an array of names", field);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isString()) {
                throw ApiException.invalidRequest("'" + field + "' must contain only strings", field);
            }
            out.add(item.asString());
        }
        return out;
    }

    private String policy(JsonNode n) {
        if (n.isNull()) {
            return null;
        }
        if (!n.isString() || !guardrails.policies().names().contains(n.asString())) {
            throw ApiException.invalidRequest("'policy' must be one of " + guardrails.policies().names() + " or null (the server default)",
                    "policy");
        }
        return n.asString();
    }

    private static Integer limit(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > Integer.MAX_VALUE) {
            throw ApiException.invalidRequest("'" + field + "' must be a whole number of at least 1, or null for the default", field);
        }
        return n.asInt();
    }
}
