package dev.llmplatform.api.security;

import java.util.List;

/** What to create a key with; see {@link ApiKey} for the fields. Validated by {@link #validate()}. */
public record NewKey(
        String name,
        Role role,
        List<String> allowedModels,
        List<String> allowedCollections,
        String policy,
        Integer requestsPerMinute,
        Integer tokensPerMinute) {

    public NewKey {
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        allowedCollections = allowedCollections == null ? List.of() : List.copyOf(allowedCollections);
        role = role == null ? Role.USER : role;
    }

    /** Throws {@link InvalidKeyException} naming the offending field. */
    public NewKey validate() {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidKeyException("name", "required, at most 200 characters");
        }
        if (role == Role.ADMIN && (!allowedModels.isEmpty() || !allowedCollections.isEmpty())) {
            throw new InvalidKeyException("allowed_models", "an admin key cannot be limited to models or collections");
        }
        for (String s : allowedModels) {
            checkName("allowed_models", s);
        }
        for (String s : allowedCollections) {
            checkName("allowed_collections", s);
        }
        if (policy != null && (policy.isBlank() || policy.length() > 200)) {
            throw new InvalidKeyException("policy", "when given, 1 to 200 characters");
        }
        if (requestsPerMinute != null && requestsPerMinute < 1) {
            throw new InvalidKeyException("requests_per_minute", "must be at least 1 (omit it for the default)");
        }
        if (tokensPerMinute != null && tokensPerMinute < 1) {
            throw new InvalidKeyException("tokens_per_minute", "must be at least 1 (omit it for the default)");
        }
        return this;
    }

    private static void checkName(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 200) {
            throw new InvalidKeyException(field, "entries must be 1 to 200 characters");
        }
    }
}
