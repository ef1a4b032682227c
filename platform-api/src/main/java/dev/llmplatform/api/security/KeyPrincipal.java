package dev.llmplatform.api.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Who is calling: set on every request as the attribute {@link #ATTRIBUTE} by the authentication filter
 * (the anonymous admin {@link #ANONYMOUS} when authentication is off). Controllers enforce the limits
 * through {@link AccessControl}.
 *
 * @param allowedModels      empty = every model
 * @param allowedCollections empty = every collection
 * @param policy             the guardrail policy name for this key; null = the default policy
 * @param requestsPerMinute  null = the configured default limit
 * @param tokensPerMinute    null = the configured default limit
 */
public record KeyPrincipal(
        String keyId,
        String name,
        Role role,
        Set<String> allowedModels,
        Set<String> allowedCollections,
        String policy,
        Integer requestsPerMinute,
        Integer tokensPerMinute) {

    public static final String ATTRIBUTE = KeyPrincipal.class.getName();

    /** The caller when authentication is off (loopback, no keys): may do everything. */
    public static final KeyPrincipal ANONYMOUS =
            new KeyPrincipal("anonymous", "anonymous", Role.ADMIN, Set.of(), Set.of(), null, null, null);

    public KeyPrincipal {
        allowedModels = Set.copyOf(allowedModels);
        allowedCollections = Set.copyOf(allowedCollections);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean mayUseModel(String model) {
        return isAdmin() || allowedModels.isEmpty() || allowedModels.contains(model);
    }

    public boolean mayUseCollection(String collection) {
        return isAdmin() || allowedCollections.isEmpty() || allowedCollections.contains(collection);
    }

    /** The request's principal; {@link #ANONYMOUS} on a request the filter has not seen (e.g. an error dispatch). */
    public static KeyPrincipal of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof KeyPrincipal p ? p : ANONYMOUS;
    }
}
