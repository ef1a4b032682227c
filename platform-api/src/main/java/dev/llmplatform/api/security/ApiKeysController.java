package dev.llmplatform.api.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmplatform.api.ratelimit.RateLimiter;
import dev.llmplatform.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/admin/keys}: create (the secret is in the response once), list, get, revoke. Admin-only
 * through {@link AuthenticationFilter} when authentication is on.
 */
@RestController
@RequestMapping("/v1/admin/keys")
@Tag(name = "Admin: API keys", description = "Create, list and revoke API keys (admin role)")
public class ApiKeysController {

    /** The body of {@code POST /v1/admin/keys}. */
    public record CreateKeyRequest(
            String name,
            String role,
            @JsonProperty("allowed_models") List<String> allowedModels,
            @JsonProperty("allowed_collections") List<String> allowedCollections,
            String policy,
            @JsonProperty("requests_per_minute") Integer requestsPerMinute,
            @JsonProperty("tokens_per_minute") Integer tokensPerMinute) {}

    /** A key as the API shows it; {@code key} (the secret) only in the response to its creation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(
            String id,
            String object,
            String name,
            String role,
            @JsonProperty("secret_prefix") String secretPrefix,
            @JsonProperty("allowed_models") List<String> allowedModels,
            @JsonProperty("allowed_collections") List<String> allowedCollections,
            String policy,
            @JsonProperty("requests_per_minute") Integer requestsPerMinute,
            @JsonProperty("tokens_per_minute") Integer tokensPerMinute,
            @JsonProperty("created_at") Long createdAt,
            @JsonProperty("revoked_at") Long revokedAt,
            @JsonProperty("last_used_at") Long lastUsedAt,
            Usage usage,
            String key) {

        static KeyView of(ApiKey k, String secret) {
            return new KeyView(k.id(), "api_key", k.name(), k.role().id(), k.secretPrefix(), k.allowedModels(),
                    k.allowedCollections(), k.policy(), k.requestsPerMinute(), k.tokensPerMinute(), epoch(k.createdAt()),
                    epoch(k.revokedAt()), epoch(k.lastUsedAt()), new Usage(k.promptTokens(), k.completionTokens()), secret);
        }

        private static Long epoch(OffsetDateTime t) {
            return t == null ? null : t.toEpochSecond();
        }
    }

    public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                        @JsonProperty("completion_tokens") long completionTokens) {}

    public record KeyList(String object, List<KeyView> data) {}

    public record Revoked(String id, String object, boolean deleted) {}

    private final ApiKeyStore store;
    private final AuthGate gate;
    private final RateLimiter limiter;

    public ApiKeysController(ApiKeyStore store, AuthGate gate, RateLimiter limiter) {
        this.store = store;
        this.gate = gate;
        this.limiter = limiter;
    }

    @PostMapping
    @Operation(summary = "Create an API key; the response's 'key' is the secret, shown only this once")
    public ResponseEntity<KeyView> create(@RequestBody CreateKeyRequest request) {
        if (request == null) {
            throw ApiException.invalidRequest("A JSON body with at least 'name' is required", null);
        }
        CreatedKey created;
        try {
            Role role = request.role() == null ? Role.USER : Role.parse(request.role());
            created = store.create(new NewKey(request.name(), role, request.allowedModels(), request.allowedCollections(),
                    request.policy(), request.requestsPerMinute(), request.tokensPerMinute()));
        } catch (InvalidKeyException e) {
            throw ApiException.invalidRequest(e.getMessage(), e.param());
        }
        gate.keysChanged();
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyView.of(created.key(), created.secret()));
    }

    @GetMapping
    @Operation(summary = "List every API key (revoked ones included), without secrets")
    public KeyList list() {
        return new KeyList("list", store.list().stream().map(k -> KeyView.of(k, null)).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One API key, without its secret")
    public KeyView get(@PathVariable String id) {
        return store.find(id).map(k -> KeyView.of(k, null)).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke an API key: requests with it get 401 from now on")
    public Revoked revoke(@PathVariable String id) {
        if (!store.revoke(id)) {
            throw notFound(id);
        }
        limiter.forget(id);
        gate.keysChanged();
        return new Revoked(id, "api_key", true);
    }

    private static ApiException notFound(String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "No API key with id '" + id + "'", "invalid_request_error", "id",
                "key_not_found");
    }
}
