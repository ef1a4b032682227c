package dev.llmplatform.api.ratelimit;

import dev.llmplatform.api.http.ErrorResponseWriter;
import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.api.security.KeyPrincipal;
import dev.llmplatform.api.web.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admits a request against its key's buckets (after authentication), puts OpenAI's {@code x-ratelimit-*}
 * headers on the response, and answers 429 with {@code Retry-After} when a bucket is empty.
 */
public class RateLimitFilter extends OncePerRequestFilter {
    private final RateLimiter limiter;
    private final ErrorResponseWriter errors;
    private final PlatformMetrics metrics;

    public RateLimitFilter(RateLimiter limiter, ErrorResponseWriter errors, PlatformMetrics metrics) {
        this.limiter = limiter;
        this.errors = errors;
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Public routes (health, docs) carry no principal and are not limited.
        if (!(request.getAttribute(KeyPrincipal.ATTRIBUTE) instanceof KeyPrincipal key)) {
            chain.doFilter(request, response);
            return;
        }
        RateLimiter.Admission admission = limiter.admit(key);
        headers(response, "requests", admission.requests());
        headers(response, "tokens", admission.tokens());
        if (admission.rejected()) {
            boolean tokens = admission.tokens() != null && admission.tokens().rejected();
            RateLimitStatus status = tokens ? admission.tokens() : admission.requests();
            long seconds = Math.max(1, (status.retryAfter().toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            String what = tokens ? "tokens" : "requests";
            metrics.rateLimited(what);
            errors.write(response, new ApiException(HttpStatus.TOO_MANY_REQUESTS,
                    "Rate limit reached for this API key: " + status.limit() + " " + what + " per window. Retry in "
                            + formatDuration(status.retryAfter()) + ".", what, null, "rate_limit_exceeded"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static void headers(HttpServletResponse response, String kind, RateLimitStatus status) {
        if (status == null) {
            return;
        }
        response.setHeader("x-ratelimit-limit-" + kind, Long.toString(status.limit()));
        response.setHeader("x-ratelimit-remaining-" + kind, Long.toString(Math.max(0, status.remaining())));
        response.setHeader("x-ratelimit-reset-" + kind, formatDuration(status.reset()));
    }

    /** OpenAI's reset format: {@code 17ms}, {@code 1.5s}, {@code 6m0s}. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long minutes = ms / 60_000;
        double seconds = (ms % 60_000) / 1000.0;
        String s = seconds == Math.rint(seconds) ? Long.toString((long) seconds) : String.format(java.util.Locale.ROOT, "%.3f", seconds)
                .replaceAll("0+$", "");
        return minutes > 0 ? minutes + "m" + s + "s" : s + "s";
    }
}
