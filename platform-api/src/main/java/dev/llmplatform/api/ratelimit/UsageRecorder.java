package dev.llmplatform.api.ratelimit;

import dev.llmplatform.api.http.RequestAttributes;
import dev.llmplatform.api.security.ApiKeyStore;
import dev.llmplatform.api.security.AuthGate;
import dev.llmplatform.api.security.KeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What controllers call once a request's token counts are known (after generation): charges the key's
 * tokens bucket, adds to the key's usage totals in the state database, and puts the counts in the
 * request log.
 */
public class UsageRecorder {
    private final RateLimiter limiter;
    private final ApiKeyStore store;

    public UsageRecorder(RateLimiter limiter, ApiKeyStore store) {
        this.limiter = limiter;
        this.store = store;
    }

    public void record(HttpServletRequest request, int promptTokens, int completionTokens) {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative: " + promptTokens + ", " + completionTokens);
        }
        KeyPrincipal key = KeyPrincipal.of(request);
        limiter.charge(key, (long) promptTokens + completionTokens);
        RequestAttributes.addTokens(request, promptTokens, completionTokens);
        if (key != KeyPrincipal.ANONYMOUS && key != AuthGate.ENV_ADMIN) {
            store.recordUsage(key.keyId(), promptTokens, completionTokens);
        }
    }
}
