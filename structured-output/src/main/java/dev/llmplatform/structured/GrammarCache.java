package dev.llmplatform.structured;

import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Compiled grammars for one vocabulary, shared across requests: keyed by the SHA-256 of the text that
 * defines them (a schema, a tool set), least recently used evicted beyond {@code capacity}. On a miss
 * the grammar is compiled on the caller's thread, which also precomputes per-rule masks for up to
 * {@link #FOREGROUND_PRECOMPUTE_NANOS} (those an output meets first come first), and the rest are
 * precomputed ({@link TokenMasker#precompute(int)}) on {@code precomputeExecutor}, so a large schema's
 * first request does not wait for all of them (a mask not ready yet is computed when first needed). Counters
 * for a metrics endpoint: hits, misses, evictions, compile and precompute time. Thread-safe.
 */
public final class GrammarCache {
    private final TokenVocabulary vocab;
    private final int capacity;
    private final Executor precomputeExecutor;
    private final Map<String, TokenMasker> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder compileNanos = new LongAdder();
    private final LongAdder precomputeNanos = new LongAdder();

    /** Wall time a miss spends precomputing masks on the caller's thread before handing the rest over. */
    public static final long FOREGROUND_PRECOMPUTE_NANOS = 250_000_000L;

    /** A snapshot of the counters. */
    public record Stats(long hits, long misses, long evictions, int size, int capacity, double compileSeconds,
            double precomputeSeconds) {
    }

    public GrammarCache(TokenVocabulary vocab, int capacity, Executor precomputeExecutor) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.vocab = vocab;
        this.capacity = capacity;
        this.precomputeExecutor = precomputeExecutor;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenMasker> eldest) {
                if (size() > GrammarCache.this.capacity) {
                    evictions.increment();
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * The compiled grammar for {@code definition} (the text it was built from, e.g. a schema), building
     * it with {@code grammar} on a miss. Two concurrent misses on one key may both compile; the second
     * result replaces the first, which stays valid for whoever holds it.
     */
    public TokenMasker get(String definition, Supplier<Grammar> grammar) {
        String key = sha256(definition);
        synchronized (entries) {
            TokenMasker cached = entries.get(key);
            if (cached != null) {
                hits.increment();
                return cached;
            }
        }
        misses.increment();
        long t0 = System.nanoTime();
        TokenMasker compiled = StructuredOutput.forGrammar(grammar.get(), vocab);
        long t1 = System.nanoTime();
        compileNanos.add(t1 - t0);
        boolean complete = compiled.precompute(TokenMasker.DEFAULT_PRECOMPUTE_STACKS, FOREGROUND_PRECOMPUTE_NANOS);
        precomputeNanos.add(System.nanoTime() - t1);
        synchronized (entries) {
            entries.put(key, compiled);
        }
        if (complete) {
            return compiled;
        }
        CompletableFuture.runAsync(() -> {
            long p0 = System.nanoTime();
            compiled.precompute(TokenMasker.DEFAULT_PRECOMPUTE_STACKS);
            precomputeNanos.add(System.nanoTime() - p0);
        }, precomputeExecutor);
        return compiled;
    }

    public Stats stats() {
        int size;
        synchronized (entries) {
            size = entries.size();
        }
        return new Stats(hits.sum(), misses.sum(), evictions.sum(), size, capacity, compileNanos.sum() / 1e9,
                precomputeNanos.sum() / 1e9);
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
