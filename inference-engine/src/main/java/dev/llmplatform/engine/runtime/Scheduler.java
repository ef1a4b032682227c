package dev.llmplatform.engine.runtime;

import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Continuous batching: one thread runs every active request of a model, decoding one token for all
 * of them per forward pass (a {@link BatchDecoder}), and admits new requests between steps, so
 * requests join and leave the batch independently. Events are delivered on the scheduler's thread;
 * listeners should hand them off quickly (e.g. to an HTTP response stream).
 *
 * <p>New prompts are processed in chunks of {@link #PREFILL_CHUNK} tokens between decode steps, so
 * a long prompt slows the others' tokens down rather than stopping them.
 */
public final class Scheduler implements AutoCloseable {
    private record Job(Sequence seq, GenerationRequest request, Consumer<GenerationEvent> listener, GenerationHandle handle) {
    }

    private static final class Active {
        final Job job;
        final GenerationSession session;
        int next;

        Active(Job job, GenerationSession session, int next) {
            this.job = job;
            this.session = session;
            this.next = next;
        }
    }

    /** Prompt tokens processed between two decode steps. */
    public static final int PREFILL_CHUNK = 64;

    private final Transformer model;
    private final Tokenizer tokenizer;
    private final BatchDecoder decoder;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Set<Sequence> busy = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public Scheduler(Transformer model, Tokenizer tokenizer, int maxBatch) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.decoder = new BatchDecoder(model, maxBatch);
        this.thread = Thread.ofPlatform().name("llmp-scheduler").daemon().start(this::loop);
    }

    /**
     * Queues a request on {@code seq}, which must belong to this scheduler's model and not be running
     * another request.
     */
    public GenerationHandle submit(Sequence seq, GenerationRequest request, Consumer<GenerationEvent> listener) {
        if (seq.model() != model) {
            throw new IllegalArgumentException("the sequence belongs to another model");
        }
        if (!running) {
            throw new IllegalStateException("the scheduler is closed");
        }
        if (!busy.add(seq)) {
            throw new IllegalStateException("the sequence is already generating");
        }
        GenerationHandle handle = new GenerationHandle();
        queue.add(new Job(seq, request, listener, handle));
        if (!running) {
            // The loop ended between the check above and the add: nobody else will take this job.
            failQueued();
        }
        return handle;
    }

    private void loop() {
        List<Active> active = new ArrayList<>();
        List<Active> prefilling = new ArrayList<>();
        List<Sequence> batchSeqs = new ArrayList<>();
        int[] batchTokens = new int[decoder.maxSequences()];
        try {
            while (running) {
                boolean idle = active.isEmpty() && prefilling.isEmpty();
                Job job = idle ? queue.take() : queue.poll();
                while (job != null && active.size() + prefilling.size() < decoder.maxSequences()) {
                    GenerationSession session = new GenerationSession(tokenizer, job.seq(), job.request(), job.listener());
                    job.handle().attach(session);
                    prefilling.add(new Active(job, session, -1));
                    job = active.size() + prefilling.size() < decoder.maxSequences() ? queue.poll() : null;
                }
                if (job != null) {
                    // No room this step: it goes back to the front of the line.
                    requeueFirst(job);
                }
                if (!prefilling.isEmpty()) {
                    prefillChunk(prefilling, active);
                }
                if (active.isEmpty()) {
                    continue;
                }
                batchSeqs.clear();
                for (int i = 0; i < active.size(); i++) {
                    batchSeqs.add(active.get(i).session.sequence());
                    batchTokens[i] = active.get(i).next;
                }
                try {
                    decoder.decode(batchSeqs, batchTokens);
                } catch (RuntimeException | Error e) {
                    for (Active a : active) {
                        fail(a.job, e);
                    }
                    active.clear();
                    continue;
                }
                for (int i = active.size() - 1; i >= 0; i--) {
                    Active a = active.get(i);
                    int next = advance(a.job, a.session);
                    if (next < 0) {
                        active.remove(i);
                    } else {
                        a.next = next;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Closed, or (a bug) an exception escaped a step: no request may wait on a loop that is gone.
            running = false;
            List<Active> left = new ArrayList<>(active);
            left.addAll(prefilling);
            for (Active a : left) {
                a.session.cancel();
                fail(a.job, new IllegalStateException("the scheduler was closed"));
            }
            failQueued();
        }
    }

    private void failQueued() {
        for (Job j; (j = queue.poll()) != null; ) {
            fail(j, new IllegalStateException("the scheduler was closed"));
        }
    }

    /** Advances the oldest prompt by one chunk; when done, its first token comes from the prompt's logits. */
    private void prefillChunk(List<Active> prefilling, List<Active> active) {
        Active p = prefilling.getFirst();
        boolean done;
        try {
            done = p.session.prefillStep(PREFILL_CHUNK);
        } catch (RuntimeException | Error e) {
            prefilling.removeFirst();
            fail(p.job, e);
            return;
        }
        if (done) {
            prefilling.removeFirst();
            int next = advance(p.job, p.session);
            if (next >= 0) {
                p.next = next;
                active.add(p);
            }
        }
    }

    private void requeueFirst(Job job) {
        List<Job> rest = new ArrayList<>();
        queue.drainTo(rest);
        queue.add(job);
        queue.addAll(rest);
    }

    /**
     * One step of a session; completes its handle when it finishes. A step that throws — even an
     * {@link Error}, such as a runaway constraint's stack overflow — fails that request alone.
     */
    private int advance(Job job, GenerationSession session) {
        int next;
        try {
            next = session.step();
        } catch (RuntimeException | Error e) {
            fail(job, e);
            return -1;
        }
        if (next < 0) {
            busy.remove(job.seq());
            job.handle().future().complete(session.result());
        }
        return next;
    }

    private void fail(Job job, Throwable e) {
        busy.remove(job.seq());
        job.handle().future().completeExceptionally(e);
    }

    /** Stops the scheduler thread; requests still running or queued complete exceptionally. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
