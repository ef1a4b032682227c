package dev.llmplatform.api.serving;

import dev.llmplatform.engine.runtime.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A model's generation slots: a fixed set of sequences, each keeping the KV cache of its last
 * conversation. A request takes the free sequence whose tokens share the longest prefix with its prompt,
 * so a repeated system prompt or the earlier turns of a chat are not computed again (prefix caching);
 * among equals, the one used least recently, so popular prefixes are not evicted first.
 */
public final class SequencePool {
    private final Semaphore slots;
    private final List<Sequence> all = new ArrayList<>();
    private final List<Sequence> free = new ArrayList<>();
    private final List<Long> lastUsed = new ArrayList<>();
    private final int capacity;
    private long clock;

    public SequencePool(int capacity, Supplier<Sequence> factory) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity, true);
        for (int i = 0; i < capacity; i++) {
            Sequence seq = factory.get();
            all.add(seq);
            free.add(seq);
            lastUsed.add(0L);
        }
    }

    /** Thrown when no sequence became free in time. */
    public static final class BusyException extends RuntimeException {
        public BusyException(String message) {
            super(message);
        }
    }

    /**
     * Takes a sequence for {@code prompt}, waiting up to {@code timeoutMillis} for one to be free.
     *
     * @throws BusyException when none became free in time
     */
    public Sequence acquire(int[] prompt, long timeoutMillis) throws InterruptedException {
        if (!slots.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new BusyException("all " + capacity + " generation slots stayed busy for " + timeoutMillis + " ms");
        }
        synchronized (this) {
            int best = 0;
            int bestPrefix = -1;
            for (int i = 0; i < free.size(); i++) {
                int p = commonPrefix(free.get(i), prompt);
                if (p > bestPrefix || p == bestPrefix && lastUsed.get(i) < lastUsed.get(best)) {
                    best = i;
                    bestPrefix = p;
                }
            }
            lastUsed.remove(best);
            return free.remove(best);
        }
    }

    /** Gives a sequence back; its KV cache stays for a later request with the same prefix. */
    public void release(Sequence seq) {
        synchronized (this) {
            free.add(seq);
            lastUsed.add(++clock);
        }
        slots.release();
    }

    public int capacity() {
        return capacity;
    }

    /** Sequences taken by running requests. */
    public int inUse() {
        return capacity - slots.availablePermits();
    }

    /** Requests waiting for a sequence. */
    public int waiting() {
        return slots.getQueueLength();
    }

    /** Positions (tokens) held in the KV caches of all sequences now. */
    public long positionsHeld() {
        long sum = 0;
        for (Sequence s : all) {
            sum += s.length();
        }
        return sum;
    }

    /** KV cache bytes held by all sequences now (free ones keep theirs for prefix reuse). */
    public long kvBytes() {
        long sum = 0;
        for (Sequence s : all) {
            sum += s.kvCacheBytes();
        }
        return sum;
    }

    private static int commonPrefix(Sequence seq, int[] prompt) {
        int n = Math.min(seq.length(), prompt.length);
        int i = 0;
        while (i < n && seq.tokenAt(i) == prompt[i]) {
            i++;
        }
        return i;
    }
}
