package dev.llmplatform.structured.eval;

import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.CompiledGrammar;
import dev.llmplatform.structured.matcher.GrammarCompiler;
import dev.llmplatform.structured.matcher.MemberOrderSearch;
import dev.llmplatform.structured.matcher.GrammarConstraint;
import dev.llmplatform.structured.matcher.MaskWork;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import dev.llmplatform.structured.schema.PropertyOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs MaskBench-format files (JSONSchemaBench): compile each schema, then walk each test instance
 * (compact JSON, members in schema order) token by token through the constraint. An instance counts
 * as accepted only if every token was in the mask and the grammar could end afterwards.
 */
public final class MaskBench {

    /** One schema's outcome. */
    public record SchemaResult(String file, boolean compiled, String error, int validAccepted, int validTotal,
            int invalidRejected, int invalidTotal, List<String> overConstrained, long compileNanos,
            long compileCpuNanos, List<String> unenforced, long[] maskNanos, long[] maskCpuNanos,
            boolean precomputeComplete, Map<SlowCause, Integer> slowCalls) {

        /** Compiled with every keyword enforced by the grammar. */
        public boolean compiledStrict() {
            return compiled && unenforced.isEmpty();
        }
    }

    /** Mask calls over {@link #SLOW_CALL_NANOS} (wall), counted per schema when tracing: the kind of work that made them slow. */
    public enum SlowCause {
        /** A per-rule mask computed when first met (a vocabulary trie walk): precomputation missed or had no time for it. */
        LATE_CONTEXT,
        /** A first-met whole state that also walked suffix tries for a new caller continuation. */
        STATE_MISS_SUFFIX_WALK,
        /** A first-met whole state answered from cached per-rule masks and suffix walks (bitset ORs only). */
        STATE_MISS,
        /** A garbage collection ran during the call. */
        GC,
        /** A cached whole state: the time went elsewhere (the thread descheduled on a loaded machine, JIT...). */
        OTHER
    }

    /** The mask time that {@code llmp eval-structured} reports the share of calls over (the p99 goal). */
    public static final long SLOW_CALL_NANOS = 50_000;

    /**
     * Totals; mask times are per token in microseconds, by the wall clock and by the measuring thread's
     * CPU time (which a machine loaded by other work inflates much less).
     */
    public record Summary(int schemas, int compiled, int validAccepted, int validTotal, int invalidRejected,
            int invalidTotal, double maskUsP50, double maskUsP99, double maskCpuUsP50, double maskCpuUsP99,
            double compileMsP50, double compileMsP99, double compileCpuMsP50, double compileCpuMsP99,
            long maskSamples, double maskShareOver50Us,
            int reordered, List<SchemaResult> results) {

        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"schemas\":%d,\"compiled\":%d,\"valid_accepted\":%d,\"valid_total\":%d,\"invalid_rejected\":%d,"
                            + "\"invalid_total\":%d,\"mask_us_p50\":%.2f,\"mask_us_p99\":%.2f,"
                            + "\"mask_cpu_us_p50\":%.2f,\"mask_cpu_us_p99\":%.2f,\"mask_share_over_50us\":%.5f,"
                            + "\"compile_ms_p50\":%.2f,\"compile_ms_p99\":%.2f,"
                            + "\"compile_cpu_ms_p50\":%.2f,\"compile_cpu_ms_p99\":%.2f}",
                    schemas, compiled, validAccepted, validTotal, invalidRejected, invalidTotal, maskUsP50, maskUsP99,
                    maskCpuUsP50, maskCpuUsP99, maskShareOver50Us, compileMsP50, compileMsP99, compileCpuMsP50, compileCpuMsP99);
        }
    }

    private final Tokenizer tokenizer;
    private final TokenVocabulary vocab;
    private final boolean precompute;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private long[] maskNanos = new long[1 << 12];
    private long[] maskCpuNanos = new long[1 << 12];
    private int maskCount;
    private boolean traceSlowCalls;
    private Map<SlowCause, Integer> slowCalls = Map.of();
    private int reordered;

    /**
     * Time a compile may spend precomputing masks before the schema's instances are walked, measured in
     * the thread's CPU time so that the figures do not depend on how loaded the machine is (serving's
     * budget is wall time: {@link dev.llmplatform.structured.GrammarCache}). Masks not computed by then
     * are computed when a token first needs them and count in the mask times: the pessimistic case of
     * serving, where the rest is precomputed in the background and a fast sequence may overtake it.
     */
    public static final long PRECOMPUTE_BUDGET_NANOS = 2_000_000_000L;

    /**
     * Schemas are compiled leniently (keywords a grammar cannot enforce are listed, not fatal); a
     * {@link Summary} then counts either every compiled schema or only the strictly compiled ones.
     */
    public MaskBench(Tokenizer tokenizer) {
        this(tokenizer, true);
    }

    /**
     * @param precompute precompute masks at compile, up to {@link #PRECOMPUTE_BUDGET_NANOS} (compile times then
     *                   include it); without it masks are computed when first met — the same masks
     *                   (TokenMaskTest checks that), less compile time, more mask time
     */
    public MaskBench(Tokenizer tokenizer, boolean precompute) {
        this.tokenizer = tokenizer;
        this.vocab = TokenVocabulary.of(tokenizer);
        this.precompute = precompute;
    }

    /**
     * Classifies every mask call over {@link #SLOW_CALL_NANOS} by the work it did ({@link SchemaResult#slowCalls()});
     * costs a few GC-counter reads per call, so mask times with tracing on are slightly higher.
     */
    public MaskBench traceSlowCalls(boolean on) {
        this.traceSlowCalls = on;
        return this;
    }

    public static List<Path> suiteFiles(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<SchemaResult> run(List<Path> files, Consumer<SchemaResult> progress) {
        List<SchemaResult> results = new ArrayList<>();
        for (Path f : files) {
            SchemaResult r = runFile(f);
            results.add(r);
            progress.accept(r);
        }
        return results;
    }

    /**
     * Totals over {@code results}: with {@code strict}, only schemas whose every keyword the grammar
     * enforces count as compiled; otherwise every schema that produced a grammar (the rest of its
     * keywords to be checked after generation).
     */
    public Summary summarize(List<SchemaResult> results, boolean strict) {
        int compiled = 0;
        int va = 0;
        int vt = 0;
        int ir = 0;
        int it = 0;
        List<Long> compileTimes = new ArrayList<>();
        List<Long> compileCpuTimes = new ArrayList<>();
        List<long[]> masks = new ArrayList<>();
        List<long[]> cpuMasks = new ArrayList<>();
        int total = 0;
        for (SchemaResult r : results) {
            if (strict ? r.compiledStrict() : r.compiled) {
                compiled++;
                va += r.validAccepted;
                vt += r.validTotal;
                ir += r.invalidRejected;
                it += r.invalidTotal;
                compileTimes.add(r.compileNanos);
                compileCpuTimes.add(r.compileCpuNanos);
                masks.add(r.maskNanos);
                cpuMasks.add(r.maskCpuNanos);
                total += r.maskNanos.length;
            }
        }
        long[] times = concatSorted(masks, total);
        long[] cpuTimes = concatSorted(cpuMasks, total);
        compileTimes.sort(null);
        long[] compiles = compileTimes.stream().mapToLong(Long::longValue).toArray();
        compileCpuTimes.sort(null);
        long[] cpuCompiles = compileCpuTimes.stream().mapToLong(Long::longValue).toArray();
        return new Summary(results.size(), compiled, va, vt, ir, it, percentile(times, 0.50) / 1e3,
                percentile(times, 0.99) / 1e3, percentile(cpuTimes, 0.50) / 1e3, percentile(cpuTimes, 0.99) / 1e3,
                percentile(compiles, 0.50) / 1e6, percentile(compiles, 0.99) / 1e6, percentile(cpuCompiles, 0.50) / 1e6,
                percentile(cpuCompiles, 0.99) / 1e6, times.length, shareOver(times, SLOW_CALL_NANOS), reordered, results);
    }

    private static long[] concatSorted(List<long[]> parts, int total) {
        long[] all = new long[total];
        int k = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, k, p.length);
            k += p.length;
        }
        Arrays.sort(all);
        return all;
    }

    private static double shareOver(long[] sorted, long limit) {
        if (sorted.length == 0) {
            return 0;
        }
        int firstOver = sorted.length;
        while (firstOver > 0 && sorted[firstOver - 1] > limit) {
            firstOver--;
        }
        return (sorted.length - firstOver) / (double) sorted.length;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1)))];
    }

    @SuppressWarnings("unchecked")
    SchemaResult runFile(Path file) {
        String name = file.getFileName().toString();
        Map<String, Object> doc;
        try {
            doc = (Map<String, Object>) Json.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object schema = doc.get("schema");
        List<Map<String, Object>> tests = (List<Map<String, Object>>) doc.getOrDefault("tests", List.of());
        int validTotal = 0;
        int invalidTotal = 0;
        for (Map<String, Object> t : tests) {
            if (Boolean.TRUE.equals(t.get("valid"))) {
                validTotal++;
            } else {
                invalidTotal++;
            }
        }
        TokenMasker masker;
        CompiledGrammar grammar;
        boolean complete = false;
        List<String> unenforced;
        long t0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        try {
            JsonSchemaCompiler.CompiledSchema cs = JsonSchemaCompiler.compile(schema, false);
            unenforced = cs.unenforced();
            String gbnf = cs.gbnf();
            grammar = GrammarCompiler.compile(Grammar.parse(gbnf));
            masker = new TokenMasker(grammar, vocab);
            if (precompute) {
                complete = masker.precompute(TokenMasker.DEFAULT_PRECOMPUTE_STACKS, PRECOMPUTE_BUDGET_NANOS,
                        THREADS::getCurrentThreadCpuTime);
            }
        } catch (IllegalArgumentException | StackOverflowError e) {
            String msg = e instanceof StackOverflowError ? "schema too deeply nested" : e.getMessage();
            return new SchemaResult(name, false, msg, 0, validTotal, 0, invalidTotal, List.of(), 0, 0, List.of(),
                    new long[0], new long[0], false, Map.of());
        }
        long compileNanos = System.nanoTime() - t0;
        long compileCpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
        int validAccepted = 0;
        int invalidRejected = 0;
        List<String> over = new ArrayList<>();
        maskCount = 0;
        slowCalls = new java.util.EnumMap<>(SlowCause.class);
        for (Map<String, Object> t : tests) {
            Object data = t.get("data");
            // members in an order the grammar accepts if there is one (objects are unordered),
            // otherwise in schema order
            String text = MemberOrderSearch.serialize(grammar, data);
            if (text == null) {
                text = Json.write(PropertyOrder.canonicalize(data, schema));
            }
            if (!text.equals(Json.write(data))) {
                reordered++;
            }
            boolean accepted = walk(masker, text);
            if (Boolean.TRUE.equals(t.get("valid"))) {
                if (accepted) {
                    validAccepted++;
                } else {
                    over.add(text);
                }
            } else if (!accepted) {
                invalidRejected++;
            }
        }
        return new SchemaResult(name, true, null, validAccepted, validTotal, invalidRejected, invalidTotal, over,
                compileNanos, compileCpuNanos, unenforced, Arrays.copyOf(maskNanos, maskCount), Arrays.copyOf(maskCpuNanos, maskCount),
                complete, slowCalls);
    }

    /** Token-by-token walk, timing each mask computation. */
    private boolean walk(TokenMasker masker, String text) {
        int[] ids = tokenizer.encode(text, false);
        GrammarConstraint c = masker.newConstraint();
        BitSet allowed = new BitSet(vocab.size());
        MaskWork work = c.work();
        for (int id : ids) {
            allowed.clear();
            long misses = work.stateMisses();
            long late = work.lateContexts();
            long walks = work.suffixWalks();
            long gcs = traceSlowCalls ? gcCount() : 0;
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            c.allowedTokens(allowed);
            long wall = System.nanoTime() - t0;
            record(wall, THREADS.getCurrentThreadCpuTime() - cpu0);
            if (traceSlowCalls && wall > SLOW_CALL_NANOS) {
                SlowCause cause = work.lateContexts() > late ? SlowCause.LATE_CONTEXT
                        : work.suffixWalks() > walks ? SlowCause.STATE_MISS_SUFFIX_WALK
                        : work.stateMisses() > misses ? SlowCause.STATE_MISS
                        : gcCount() != gcs ? SlowCause.GC : SlowCause.OTHER;
                slowCalls.merge(cause, 1, Integer::sum);
            }
            if (!allowed.get(id)) {
                return false;
            }
            c.accept(id);
        }
        return c.canEnd();
    }

    private static long gcCount() {
        long n = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private void record(long nanos, long cpuNanos) {
        if (maskCount == maskNanos.length) {
            maskNanos = Arrays.copyOf(maskNanos, maskCount * 2);
            maskCpuNanos = Arrays.copyOf(maskCpuNanos, maskCount * 2);
        }
        maskNanos[maskCount] = nanos;
        maskCpuNanos[maskCount++] = cpuNanos;
    }
}
