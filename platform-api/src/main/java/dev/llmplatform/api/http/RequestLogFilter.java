package dev.llmplatform.api.http;

import dev.llmplatform.api.security.KeyPrincipal;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.databind.ObjectMapper;

/**
 * Gives every request an id (the client's {@code X-Request-Id} when it is a sane token, else a new one),
 * returns it as {@code x-request-id}, and logs one JSON line per request on the {@code llmp.requests}
 * logger: id, method, route, status, key id, model and tokens when a controller set them, latency.
 * Never bodies, so never prompt text. Streaming (async) requests are logged when they complete.
 */
public class RequestLogFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger("llmp.requests");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final ObjectMapper json;

    public RequestLogFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        String offered = request.getHeader("X-Request-Id");
        String id = offered != null && CLIENT_ID.matcher(offered).matches() ? offered : "req_" + UUID.randomUUID().toString().replace("-", "");
        request.setAttribute(RequestAttributes.REQUEST_ID, id);
        response.setHeader("x-request-id", id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        logLine(request, response, start);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            } else {
                logLine(request, response, start);
            }
        }
    }

    private void logLine(HttpServletRequest request, HttpServletResponse response, long start) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("request_id", request.getAttribute(RequestAttributes.REQUEST_ID));
        line.put("method", request.getMethod());
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        line.put("route", route != null ? route : request.getRequestURI());
        line.put("status", response.getStatus());
        if (request.getAttribute(KeyPrincipal.ATTRIBUTE) instanceof KeyPrincipal key) {
            line.put("key_id", key.keyId());
        }
        putIfSet(line, "model", request.getAttribute(RequestAttributes.MODEL));
        putIfSet(line, "prompt_tokens", request.getAttribute(RequestAttributes.PROMPT_TOKENS));
        putIfSet(line, "completion_tokens", request.getAttribute(RequestAttributes.COMPLETION_TOKENS));
        line.put("latency_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
        log.info(json.writeValueAsString(line));
    }

    private static void putIfSet(Map<String, Object> line, String name, Object value) {
        if (value != null) {
            line.put(name, value);
        }
    }
}
