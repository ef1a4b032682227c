package dev.llmplatform.api.serving;

import dev.llmplatform.engine.Engine;
import dev.llmplatform.engine.gguf.GgufSummary;
import dev.llmplatform.engine.model.KvType;
import dev.llmplatform.engine.runtime.Scheduler;
import dev.llmplatform.engine.template.ChatPrompt;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.structured.GrammarCache;
import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import java.nio.file.Path;
import java.time.Instant;
import dev.llmplatform.engine.runtime.FinishReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One model being served: its engine, a continuous-batching {@link Scheduler} and the
 * {@link SequencePool} of generation slots it decodes together, plus the per-model caches requests
 * share (the grammar-matching vocabulary, compiled output constraints). Closing it stops the
 * scheduler (running requests end as cancelled) and releases the engine.
 */
public final class ServedModel implements AutoCloseable {
    /** Compiled constraints kept per model (a schema or tool set compiled once serves every request using it). */
    private static final int CONSTRAINT_CACHE_SIZE = 64;

    private final String id;
    private final Path path;
    private final Engine engine;
    private final Scheduler scheduler;
    private final SequencePool pool;
    private final int contextLength;
    private final int threads;
    private final KvType kvType;
    private final Instant loadedAt = Instant.now();
    private volatile TokenVocabulary vocabulary;
    private final Map<FinishReason, LongAdder> finishes = new EnumMap<>(FinishReason.class);
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder cachedPromptTokens = new LongAdder();
    private volatile GrammarCache constraints;
    /** Precomputes compiled grammars' masks off the request thread (one at a time: they compete with decoding). */
    private final ExecutorService precompute = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("grammar-precompute").factory());

    private ServedModel(String id, Path path, Engine engine, int contextLength, int parallel, int threads, KvType kvType) {
        this.id = id;
        this.path = path;
        this.engine = engine;
        this.contextLength = contextLength;
        this.threads = threads;
        this.kvType = kvType;
        this.pool = new SequencePool(parallel, () -> engine.newSequence(contextLength, kvType));
        for (FinishReason r : FinishReason.values()) {
            finishes.put(r, new LongAdder());
        }
        this.scheduler = engine.newScheduler(parallel);
    }

    /** Loads a model file and starts its scheduler. */
    public static ServedModel load(String id, Path path, int requestedContext, int parallel, int threads, KvType kvType,
                                   boolean warmUp) {
        Engine engine = EngineLoading.load(path, threads, warmUp);
        try {
            int ctx = Math.min(requestedContext, engine.config().contextLength());
            return new ServedModel(id, path, engine, ctx, parallel, engine.threads(), kvType);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public String id() {
        return id;
    }

    public Path path() {
        return path;
    }

    public Engine engine() {
        return engine;
    }

    public Tokenizer tokenizer() {
        return engine.tokenizer();
    }

    public ChatPrompt chatPrompt() {
        return engine.chatPrompt();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public SequencePool pool() {
        return pool;
    }

    /** Positions each sequence holds: prompt plus completion must fit. */
    public int contextLength() {
        return contextLength;
    }

    public int threads() {
        return threads;
    }

    public KvType kvType() {
        return kvType;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** Counts how a generation ended. */
    void recordFinish(FinishReason reason) {
        finishes.get(reason).increment();
    }

    /** Generations that ended for {@code reason} since load (e.g. CANCELLED: the client left or timed out). */
    public long finished(FinishReason reason) {
        return finishes.get(reason).sum();
    }

    /** Counts a finished request's prompt, for the prefix-cache hit rate. */
    public void recordPrompt(int tokens, int cached) {
        promptTokens.add(tokens);
        cachedPromptTokens.add(cached);
    }

    /** Share of prompt tokens served from cached prefixes so far. */
    public double prefixCacheHitRate() {
        long total = promptTokens.sum();
        return total == 0 ? 0 : (double) cachedPromptTokens.sum() / total;
    }

    /** Share of the sequences' positions holding a cached token. */
    public double kvCacheUsage() {
        return (double) pool.positionsHeld() / ((long) pool.capacity() * contextLength);
    }

    /** KV cache bytes of all sequences at full context (what the KV budget counts). */
    public long kvBytesAtFullContext() {
        return (long) pool.capacity() * GgufSummary.of(engine.file(), kvType.ggmlType()).kvBytes(contextLength);
    }

    /** The vocabulary as grammar matching sees it (built once: it walks every token's bytes). */
    public TokenVocabulary vocabulary() {
        TokenVocabulary v = vocabulary;
        if (v == null) {
            synchronized (this) {
                if (vocabulary == null) {
                    vocabulary = TokenVocabulary.of(engine.tokenizer());
                }
                v = vocabulary;
            }
        }
        return v;
    }

    /**
     * The compiled constraint for {@code key} (e.g. the schema's text), compiling {@code grammar} on a miss.
     * A {@link TokenMasker} is thread-safe and caches masks, so sharing it makes later requests faster.
     */
    public TokenMasker constraint(String key, Supplier<Grammar> grammar) {
        return constraintCache().get(key, grammar);
    }

    /** The compiled-constraint cache (bounded, with hit/miss/eviction counters for metrics). */
    public GrammarCache constraintCache() {
        GrammarCache c = constraints;
        if (c == null) {
            synchronized (this) {
                if (constraints == null) {
                    constraints = new GrammarCache(vocabulary(), CONSTRAINT_CACHE_SIZE, precompute);
                }
                c = constraints;
            }
        }
        return c;
    }

    /** The constraint cache's counters; zeros before the first constrained request created the cache. */
    public GrammarCache.Stats constraintCacheStats() {
        GrammarCache c = constraints;
        return c != null ? c.stats() : new GrammarCache.Stats(0, 0, 0, 0, CONSTRAINT_CACHE_SIZE, 0, 0);
    }

    @Override
    public void close() {
        scheduler.close();
        precompute.shutdownNow();
        engine.close();
    }
}
