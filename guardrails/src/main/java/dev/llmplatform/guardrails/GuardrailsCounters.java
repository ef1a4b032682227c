package dev.llmplatform.guardrails;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts for metrics: checks per rail, and findings per rail, category and action. Keys look like
 * {@code checks.input} and {@code findings.input.EMAIL_ADDRESS.redact}.
 */
public final class GuardrailsCounters {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** A sorted copy of the current counts. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
