package dev.llmplatform.api.upstream;

import dev.llmplatform.api.config.PlatformProperties;
import dev.llmplatform.api.config.PlatformProperties.ModelEntry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The remote models: every {@code llmp.models} entry with an {@code upstream} list, each a
 * {@link UpstreamModel} over its endpoints. One daemon thread polls every endpoint's {@code GET /v1/models}
 * each {@code llmp.upstreams.health-interval}; an endpoint is healthy while that answers 200.
 */
@Component
@EnableConfigurationProperties(UpstreamProperties.class)
public class Upstreams implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Upstreams.class);

    private final Map<String, UpstreamModel> models = new LinkedHashMap<>();
    private final HttpClient http;
    private final ScheduledExecutorService health;
    private final UpstreamProperties properties;

    public Upstreams(PlatformProperties platform, UpstreamProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        CircuitBreakerConfig breakers = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(10, properties.minimumCalls()))
                .minimumNumberOfCalls(properties.minimumCalls())
                .failureRateThreshold(properties.failureRateThreshold())
                .waitDurationInOpenState(properties.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build();
        int defaultCtx = platform.serving().ctx();
        for (ModelEntry entry : platform.models()) {
            if (!entry.isUpstream()) {
                continue;
            }
            if (entry.path() != null) {
                throw new IllegalArgumentException("llmp.models entry '" + entry.effectiveId() + "' has both a 'path' and an 'upstream'; give one");
            }
            String id = entry.effectiveId();
            List<UpstreamEndpoint> endpoints = new ArrayList<>();
            for (URI url : entry.upstream()) {
                URI base = UpstreamEndpoint.normalise(url);
                endpoints.add(new UpstreamEndpoint(base, CircuitBreaker.of(id + "@" + base, breakers)));
            }
            String remote = entry.upstreamModel() != null && !entry.upstreamModel().isBlank() ? entry.upstreamModel() : id;
            models.put(id, new UpstreamModel(id, remote, entry.upstreamKey(), entry.ctx() != null ? entry.ctx() : defaultCtx,
                    List.copyOf(endpoints), http, properties.requestTimeout()));
            log.info("Model '{}' is served by {} upstream(s): {}", id, endpoints.size(),
                    endpoints.stream().map(e -> e.base().toString()).toList());
        }
        if (models.isEmpty()) {
            this.health = null;
            return;
        }
        this.health = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "llmp-upstream-health");
            t.setDaemon(true);
            return t;
        });
        long every = properties.healthInterval().toMillis();
        health.scheduleWithFixedDelay(this::pollAll, 0, every, TimeUnit.MILLISECONDS);
    }

    /** The remote model serving {@code id}, or null when {@code id} is not remote. */
    public UpstreamModel find(String id) {
        return id == null ? null : models.get(id);
    }

    public Collection<UpstreamModel> all() {
        return List.copyOf(models.values());
    }

    private void pollAll() {
        for (UpstreamModel model : models.values()) {
            for (UpstreamEndpoint endpoint : model.endpoints()) {
                boolean ok = poll(model, endpoint);
                if (ok != endpoint.healthy()) {
                    log.info("Upstream {} of model '{}' is {}", endpoint.base(), model.id(), ok ? "healthy again" : "down");
                }
                endpoint.healthy(ok);
            }
        }
    }

    private boolean poll(UpstreamModel model, UpstreamEndpoint endpoint) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/v1/models"))
                .timeout(properties.connectTimeout().multipliedBy(2)).GET();
        if (model.apiKey() != null && !model.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + model.apiKey());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void destroy() {
        if (health != null) {
            health.shutdownNow();
        }
        http.close();
    }
}
