package dev.llmplatform.api.security;

import dev.llmplatform.api.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

/**
 * The checks controllers make against the caller's {@link KeyPrincipal}: each throws a 403
 * {@link ApiException} (OpenAI error shape) when the key may not do what the request asks.
 */
public final class AccessControl {
    private AccessControl() {}

    /** The caller may use {@code model} (admins and unrestricted user keys may use every model). */
    public static void checkModel(HttpServletRequest request, String model) {
        KeyPrincipal p = KeyPrincipal.of(request);
        if (!p.mayUseModel(model)) {
            throw forbidden("This API key may not use the model '" + model + "'", "model", "model_not_allowed");
        }
    }

    /** The caller may read {@code collection}. */
    public static void checkCollection(HttpServletRequest request, String collection) {
        KeyPrincipal p = KeyPrincipal.of(request);
        if (!p.mayUseCollection(collection)) {
            throw forbidden("This API key may not use the collection '" + collection + "'", "collection",
                    "collection_not_allowed");
        }
    }

    /** The caller holds an admin key (for admin operations outside {@code /v1/admin}). */
    public static void requireAdmin(HttpServletRequest request) {
        if (!KeyPrincipal.of(request).isAdmin()) {
            throw forbidden("This operation needs an admin API key", null, "insufficient_role");
        }
    }

    static ApiException forbidden(String message, String param, String code) {
        return new ApiException(HttpStatus.FORBIDDEN, message, "permission_error", param, code);
    }
}
