package dev.llmplatform.api.http;

import dev.llmplatform.api.config.LimitsProperties;
import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.api.ratelimit.RateLimitFilter;
import dev.llmplatform.api.ratelimit.RateLimiter;
import dev.llmplatform.api.security.AuthGate;
import dev.llmplatform.api.security.AuthProperties;
import dev.llmplatform.api.security.AuthenticationFilter;
import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * The servlet filters every request passes, in this order: request id + log, security headers, CORS
 * (answers preflights before auth), authentication, rate limits, body size. Auth comes before the body
 * check so an anonymous client cannot make the server read large bodies.
 */
@Configuration(proxyBeanMethods = false)
public class HttpFilterConfiguration {
    /** After Spring's character-encoding and observation filters, before everything else. */
    static final int FIRST = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    FilterRegistrationBean<RequestLogFilter> requestLogFilter(ObjectMapper json) {
        return registration(new RequestLogFilter(json), FIRST);
    }

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        return registration(new SecurityHeadersFilter(), FIRST + 1);
    }

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties cors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!cors.allowedOrigins().isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOriginPatterns(cors.allowedOrigins());
            config.setAllowedMethods(cors.allowedMethods());
            config.setAllowedHeaders(cors.allowedHeaders());
            config.setExposedHeaders(java.util.List.of("x-request-id", "Retry-After", "x-ratelimit-limit-requests",
                    "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens",
                    "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"));
            config.setMaxAge(cors.maxAge());
            source.registerCorsConfiguration("/**", config);
        }
        return registration(new CorsFilter(source), FIRST + 2);
    }

    @Bean
    FilterRegistrationBean<AuthenticationFilter> authenticationFilter(AuthGate gate, AuthProperties auth,
                                                                      ErrorResponseWriter errors, PlatformMetrics metrics) {
        return registration(new AuthenticationFilter(gate, auth.publicPaths(), errors, metrics), FIRST + 3);
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter limiter, ErrorResponseWriter errors,
                                                            PlatformMetrics metrics) {
        return registration(new RateLimitFilter(limiter, errors, metrics), FIRST + 4);
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(LimitsProperties limits, ErrorResponseWriter errors) {
        return registration(new BodySizeLimitFilter(limits.maxBodyBytes(), errors), FIRST + 5);
    }

    private static <F extends Filter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }
}
