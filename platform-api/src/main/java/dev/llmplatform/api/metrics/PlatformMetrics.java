package dev.llmplatform.api.metrics;

import dev.llmplatform.structured.GrammarCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The platform's own meters, typed so callers cannot misspell a name or a tag. Scraped at
 * {@code /actuator/prometheus}; the Prometheus names are in the comments (Micrometer adds the units and
 * {@code _total}). HTTP requests by route and status are Spring's {@code http_server_requests_seconds}.
 */
public class PlatformMetrics {
    private final MeterRegistry registry;

    public PlatformMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code llmp_tokens_prompt_total{model}} and {@code llmp_tokens_completion_total{model}}. */
    public void requestTokens(String model, int promptTokens, int completionTokens) {
        Counter.builder("llmp.tokens.prompt").description("Prompt tokens processed").baseUnit("tokens")
                .tag("model", model).register(registry).increment(promptTokens);
        Counter.builder("llmp.tokens.completion").description("Completion tokens generated").baseUnit("tokens")
                .tag("model", model).register(registry).increment(completionTokens);
    }

    /** {@code llmp_time_to_first_token_seconds_bucket{model}}: request received → first token out. */
    public void timeToFirstToken(String model, Duration latency) {
        Timer.builder("llmp.time.to.first.token").description("Time from request to first generated token")
                .tag("model", model).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(latency);
    }

    /** {@code llmp_inter_token_latency_seconds_bucket{model}}: gap between consecutive generated tokens. */
    public void interTokenLatency(String model, Duration latency) {
        Timer.builder("llmp.inter.token.latency").description("Time between consecutive generated tokens")
                .tag("model", model).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry).record(latency);
    }

    /** {@code llmp_embeddings_total{model}}: texts embedded (rate() of it is embeddings per second). */
    public void embeddings(String model, int count) {
        Counter.builder("llmp.embeddings").description("Texts embedded").tag("model", model)
                .register(registry).increment(count);
    }

    /** {@code llmp_guardrail_decisions_total{category,action}}, e.g. category=pii, action=redact. */
    public void guardrailDecision(String category, String action) {
        Counter.builder("llmp.guardrail.decisions").description("Guardrail decisions")
                .tag("category", category).tag("action", action).register(registry).increment();
    }

    /** {@code llmp_ingest_chunks_total{collection}}: chunks indexed into a collection. */
    public void ingested(String collection, int chunks) {
        Counter.builder("llmp.ingest.chunks").description("Chunks ingested into collections")
                .tag("collection", collection).register(registry).increment(chunks);
    }

    /** {@code llmp_auth_failures_total{reason}}: 401/403 answers (reason missing_api_key, invalid_api_key, insufficient_role). */
    public void authFailure(String reason) {
        Counter.builder("llmp.auth.failures").description("Requests refused by authentication")
                .tag("reason", reason).register(registry).increment();
    }

    /** {@code llmp_rate_limited_total{kind}}: 429 answers (kind requests or tokens). */
    public void rateLimited(String kind) {
        Counter.builder("llmp.rate.limited").description("Requests refused by rate limits")
                .tag("kind", kind).register(registry).increment();
    }

    /**
     * Gauges of a served model, read at each scrape: {@code llmp_queue_depth{model}} (requests waiting),
     * {@code llmp_sequences_active{model}} (sequences being decoded), {@code llmp_kv_cache_usage_ratio{model}}
     * (0..1 of the KV cache in use), {@code llmp_prefix_cache_hit_ratio{model}} (0..1). Close the returned
     * handle when the model is unloaded, so its gauges disappear with it.
     *
     * <p>The compiled-grammar cache of structured output, from {@code grammarCache}:
     * {@code llmp_grammar_cache_hits_total{model}}, {@code llmp_grammar_cache_misses_total{model}},
     * {@code llmp_grammar_cache_evictions_total{model}}, {@code llmp_grammar_cache_size{model}} (grammars held),
     * {@code llmp_grammar_compile_seconds_total{model}} and {@code llmp_grammar_precompute_seconds_total{model}}
     * (time spent compiling schemas and precomputing their masks).
     */
    public ServingGauges registerServingGauges(String model, DoubleSupplier queueDepth, DoubleSupplier activeSequences,
                                               DoubleSupplier kvCacheUsedRatio, DoubleSupplier prefixCacheHitRate,
                                               Supplier<GrammarCache.Stats> grammarCache) {
        List<Meter> meters = List.of(
                gauge("llmp.queue.depth", "Requests waiting for a sequence slot", model, queueDepth, null),
                gauge("llmp.sequences.active", "Sequences being decoded", model, activeSequences, null),
                gauge("llmp.kv.cache.usage", "Fraction of the KV cache in use", model, kvCacheUsedRatio, "ratio"),
                gauge("llmp.prefix.cache.hit", "Prefix-cache hit rate", model, prefixCacheHitRate, "ratio"),
                counter("llmp.grammar.cache.hits", "Structured-output requests that found their grammar compiled", model,
                        grammarCache, GrammarCache.Stats::hits, null),
                counter("llmp.grammar.cache.misses", "Structured-output requests that compiled their grammar", model,
                        grammarCache, GrammarCache.Stats::misses, null),
                counter("llmp.grammar.cache.evictions", "Compiled grammars dropped to stay within the cache's bound", model,
                        grammarCache, GrammarCache.Stats::evictions, null),
                gauge("llmp.grammar.cache.size", "Compiled grammars held", model, () -> grammarCache.get().size(), null),
                counter("llmp.grammar.compile", "Time spent compiling grammars", model,
                        grammarCache, GrammarCache.Stats::compileSeconds, "seconds"),
                counter("llmp.grammar.precompute", "Time spent precomputing token masks", model,
                        grammarCache, GrammarCache.Stats::precomputeSeconds, "seconds"));
        return new ServingGauges(registry, meters);
    }

    private <T> FunctionCounter counter(String name, String description, String model, Supplier<T> source,
                                        ToDoubleFunction<T> value, String unit) {
        return FunctionCounter.builder(name, source, s -> value.applyAsDouble(s.get())).description(description)
                .baseUnit(unit).tag("model", model).register(registry);
    }

    private Gauge gauge(String name, String description, String model, DoubleSupplier value, String unit) {
        return Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description).baseUnit(unit)
                .tag("model", model).strongReference(true).register(registry);
    }

    /** A model's serving gauges; closing removes them from the registry. */
    public record ServingGauges(MeterRegistry registry, List<Meter> meters) implements AutoCloseable {
        @Override
        public void close() {
            meters.forEach(registry::remove);
        }
    }
}
