package dev.llmplatform.api.security;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A stored API key as listings show it: never the secret, only its first characters.
 *
 * @param allowedModels      models a user key may call; empty = any
 * @param allowedCollections collections a user key may read; empty = any
 * @param policy             the guardrail policy requests with this key run under; null = the default
 * @param requestsPerMinute  this key's request limit; null = the configured default
 * @param tokensPerMinute    this key's prompt+completion token limit; null = the configured default
 */
public record ApiKey(
        String id,
        String name,
        String secretPrefix,
        Role role,
        List<String> allowedModels,
        List<String> allowedCollections,
        String policy,
        Integer requestsPerMinute,
        Integer tokensPerMinute,
        OffsetDateTime createdAt,
        OffsetDateTime revokedAt,
        OffsetDateTime lastUsedAt,
        long promptTokens,
        long completionTokens) {

    public ApiKey {
        allowedModels = List.copyOf(allowedModels);
        allowedCollections = List.copyOf(allowedCollections);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    ApiKey withScopes(List<String> models, List<String> collections) {
        return new ApiKey(id, name, secretPrefix, role, models, collections, policy, requestsPerMinute,
                tokensPerMinute, createdAt, revokedAt, lastUsedAt, promptTokens, completionTokens);
    }

    /** What a request made with this key may do. */
    public KeyPrincipal principal() {
        return new KeyPrincipal(id, name, role, java.util.Set.copyOf(allowedModels),
                java.util.Set.copyOf(allowedCollections), policy, requestsPerMinute, tokensPerMinute);
    }
}
