package dev.llmplatform.api.web;

import dev.llmplatform.api.serving.GenerationGroup;
import java.io.IOException;
import java.time.Duration;

/**
 * Drains a request's {@link GenerationGroup} on the request thread until every choice has ended,
 * enforcing the request timeout and noticing a client that went away: a streaming response notices
 * when writing its next chunk fails; a non-streaming one, once it has run for the probe interval,
 * writes a single space (insignificant before a JSON body) each interval, which fails once the
 * client is gone. Either way the generations are cancelled at their next step.
 */
final class ResponseLoop {
    enum Outcome { COMPLETED, TIMED_OUT, DISCONNECTED }

    @FunctionalInterface
    interface ItemHandler {
        void accept(GenerationGroup.Item item) throws IOException;
    }

    @FunctionalInterface
    interface Probe {
        void write() throws IOException;
    }

    private ResponseLoop() {
    }

    /**
     * @param probe null for streaming responses (their chunks are the probe)
     */
    static Outcome run(GenerationGroup group, Duration timeout, Duration probeInterval, Probe probe, ItemHandler handler)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long probeNanos = Math.max(1, probeInterval.toNanos());
        long nextProbe = start + probeNanos;
        try {
            while (!group.done()) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    group.cancel();
                    return Outcome.TIMED_OUT;
                }
                long wait = Math.min(deadline, probe != null ? nextProbe : deadline) - now;
                GenerationGroup.Item item = group.poll(Math.max(1, wait / 1_000_000));
                if (item != null) {
                    handler.accept(item);
                }
                if (probe != null && System.nanoTime() >= nextProbe && !group.done()) {
                    probe.write();
                    nextProbe = System.nanoTime() + probeNanos;
                }
            }
            return Outcome.COMPLETED;
        } catch (IOException e) {
            group.cancel();
            return Outcome.DISCONNECTED;
        } catch (InterruptedException | RuntimeException e) {
            group.cancel();
            throw e;
        }
    }
}
