package dev.llmplatform.api.security;

import dev.llmplatform.api.http.ErrorResponseWriter;
import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.api.web.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Authenticates every request that is not public: the key comes as {@code Authorization: Bearer KEY} or
 * {@code X-Api-Key: KEY}; missing or wrong → 401, a user key on an admin route → 403. Sets the request's
 * {@link KeyPrincipal} ({@link KeyPrincipal#ANONYMOUS} when auth is off).
 */
public class AuthenticationFilter extends OncePerRequestFilter {
    /** Routes only admin keys may call. */
    static final List<PathPattern> ADMIN_PATHS = patterns(List.of("/v1/admin", "/v1/admin/**", "/actuator/**"));

    private final AuthGate gate;
    private final List<PathPattern> publicPaths;
    private final ErrorResponseWriter errors;
    private final PlatformMetrics metrics;

    public AuthenticationFilter(AuthGate gate, List<String> publicPaths, ErrorResponseWriter errors,
                                PlatformMetrics metrics) {
        this.gate = gate;
        this.publicPaths = patterns(publicPaths);
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        // Public routes (health, console assets, docs) carry no principal, so they are never rate limited.
        if (matches(publicPaths, path)) {
            chain.doFilter(request, response);
            return;
        }
        if (!gate.enabled()) {
            request.setAttribute(KeyPrincipal.ATTRIBUTE, KeyPrincipal.ANONYMOUS);
            chain.doFilter(request, response);
            return;
        }
        String secret = secret(request);
        if (secret == null) {
            metrics.authFailure("missing_api_key");
            response.setHeader("WWW-Authenticate", "Bearer");
            errors.write(response, unauthorized("You didn't provide an API key. Send it as 'Authorization: Bearer KEY' "
                    + "or 'X-Api-Key: KEY'.", "missing_api_key"));
            return;
        }
        var principal = gate.authenticate(secret);
        if (principal.isEmpty()) {
            metrics.authFailure("invalid_api_key");
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            errors.write(response, unauthorized("Incorrect API key provided, or the key was revoked.", "invalid_api_key"));
            return;
        }
        if (!principal.get().isAdmin() && matches(ADMIN_PATHS, path)) {
            metrics.authFailure("insufficient_role");
            errors.write(response, AccessControl.forbidden("This route needs an admin API key; this key has the role '"
                    + principal.get().role().id() + "'", null, "insufficient_role"));
            return;
        }
        request.setAttribute(KeyPrincipal.ATTRIBUTE, principal.get());
        chain.doFilter(request, response);
    }

    /** The key from {@code Authorization: Bearer} (scheme case-insensitive) or {@code X-Api-Key}; null if none. */
    static String secret(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String s = authorization.substring(7).trim();
            if (!s.isEmpty()) {
                return s;
            }
        }
        String header = request.getHeader("X-Api-Key");
        return header == null || header.isBlank() ? null : header.trim();
    }

    private static ApiException unauthorized(String message, String code) {
        return new ApiException(HttpStatus.UNAUTHORIZED, message, "invalid_request_error", null, code);
    }

    private static boolean matches(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern p : patterns) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> patterns(List<String> texts) {
        return texts.stream().map(PathPatternParser.defaultInstance::parse).toList();
    }
}
