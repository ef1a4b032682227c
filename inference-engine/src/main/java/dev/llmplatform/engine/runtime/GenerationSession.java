package dev.llmplatform.engine.runtime;

import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.StreamingDecoder;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The state of one request being generated on one {@link Sequence}, advanced one token at a time by
 * whoever owns the forward passes: {@link Generator} for a single request, or a scheduler that decodes
 * many sessions together with a {@link BatchDecoder}.
 *
 * <p>Protocol: {@link #prefill()} once, then repeatedly {@link #step()}; a non-negative result is the
 * token to append to the sequence before the next step, −1 means the session has finished (its
 * {@link GenerationEvent.Finished} event has been sent and {@link #result()} is available).
 */
public final class GenerationSession {
    private final Sequence seq;
    private final GenerationRequest req;
    private final Consumer<GenerationEvent> listener;
    private final int[] endTokens;
    private final StreamingDecoder utf8;
    private final StopStringMatcher stops;
    private final StringBuilder text = new StringBuilder();
    private Sampler sampler;
    private int[] generated;
    private int count;
    private int cached;
    private long promptNanos;
    private long decodeStart;
    private boolean prefilled;
    /** Next prompt index to process, −1 before the first prefill step. */
    private int prefillPos = -1;
    private volatile boolean cancelRequested;
    private GenerationResult result;

    public GenerationSession(Tokenizer tokenizer, Sequence seq, GenerationRequest req, Consumer<GenerationEvent> listener) {
        this.utf8 = new StreamingDecoder(tokenizer);
        this.seq = seq;
        this.req = req;
        this.listener = listener;
        this.endTokens = endTokens(tokenizer.specialTokens(), req);
        this.stops = new StopStringMatcher(req.stop());
    }

    public Sequence sequence() {
        return seq;
    }

    public GenerationRequest request() {
        return req;
    }

    /**
     * Processes the prompt, reusing the KV entries of the longest prefix the sequence already holds.
     *
     * @throws Sequence.ContextFullException if the prompt leaves no room to generate
     */
    public void prefill() {
        while (!prefillStep(Integer.MAX_VALUE)) {
            // each call processes the next part of the prompt
        }
    }

    /**
     * Processes up to {@code maxTokens} more prompt tokens, so a scheduler can interleave a long
     * prompt with other requests' decoding.
     *
     * @return true once the whole prompt is processed and {@link #step()} may be called
     */
    public boolean prefillStep(int maxTokens) {
        if (prefilled) {
            throw new IllegalStateException("already prefilled");
        }
        int[] prompt = req.prompt();
        long t0 = System.nanoTime();
        if (prefillPos < 0) {
            if (prompt.length >= seq.capacity()) {
                throw new Sequence.ContextFullException(prompt.length + 1, seq.capacity());
            }
            cached = reusablePrefix(seq, prompt);
            seq.truncate(cached);
            prefillPos = cached;
        }
        int end = (int) Math.min(prompt.length, (long) prefillPos + Math.max(1, maxTokens));
        seq.append(Arrays.copyOfRange(prompt, prefillPos, end));
        prefillPos = end;
        promptNanos += System.nanoTime() - t0;
        if (prefillPos < prompt.length) {
            return false;
        }
        sampler = new Sampler(req.sampling(), seq.logits().length, endTokens);
        generated = new int[Math.min(req.maxTokens(), seq.remaining() + 1)];
        prefilled = true;
        return true;
    }

    /** Asks the session to finish with {@link FinishReason#CANCELLED} at its next step; any thread may call it. */
    public void cancel() {
        cancelRequested = true;
    }

    public boolean finished() {
        return result != null;
    }

    /** The outcome, once {@link #finished()}. */
    public GenerationResult result() {
        return result;
    }

    /**
     * Samples the next token from the sequence's current logits and reports it.
     *
     * @return the token to append to the sequence before the next step, or −1 when finished
     */
    public int step() {
        if (!prefilled) {
            throw new IllegalStateException("prefill() first");
        }
        if (result != null) {
            return -1;
        }
        if (count >= req.maxTokens()) {
            return finish(FinishReason.LENGTH);
        }
        if (cancelRequested || Thread.currentThread().isInterrupted()) {
            return finish(FinishReason.CANCELLED);
        }
        float[] logits = seq.logits();
        LogitsConstraint constraint = req.constraint();
        int id = sampler.sample(logits, seq, constraint);
        if (contains(endTokens, id)) {
            return finish(FinishReason.STOP);
        }
        float logprob = Float.NaN;
        List<TokenLogprob> top = List.of();
        if (req.topLogprobs() >= 0) {
            logprob = LogProbs.logprob(logits, 0, logits.length, id);
            top = req.topLogprobs() > 0 ? LogProbs.top(logits, 0, logits.length, req.topLogprobs()) : List.of();
        }
        if (constraint != null) {
            constraint.accept(id);
        }
        generated[count++] = id;
        String released = stops.push(utf8.feed(id));
        text.append(released);
        listener.accept(new GenerationEvent.Token(id, released, logprob, top));
        if (stops.stopped()) {
            return finish(FinishReason.STOP);
        }
        if (count == req.maxTokens() || seq.remaining() == 0) {
            return finish(FinishReason.LENGTH);
        }
        if (count == 1) {
            decodeStart = System.nanoTime();
        }
        return id;
    }

    private int finish(FinishReason reason) {
        String tail = stops.stopped() ? "" : stops.push(utf8.finish()) + stops.flush();
        text.append(tail);
        long decodeNanos = decodeStart == 0 ? 0 : System.nanoTime() - decodeStart;
        GenerationStats stats = new GenerationStats(req.prompt().length, cached, count, promptNanos, decodeNanos);
        result = new GenerationResult(text.toString(), Arrays.copyOf(generated, count), reason, stats);
        listener.accept(new GenerationEvent.Finished(reason, tail, stats));
        return -1;
    }

    /** How many leading prompt tokens the sequence already holds (at least one is recomputed for its logits). */
    private static int reusablePrefix(Sequence seq, int[] prompt) {
        int n = Math.min(seq.length(), prompt.length - 1);
        int i = 0;
        while (i < n && seq.tokenAt(i) == prompt[i]) {
            i++;
        }
        return i;
    }

    private static int[] endTokens(SpecialTokens special, GenerationRequest req) {
        int[] ids = new int[2 + req.stopTokens().size()];
        int n = 0;
        if (special.eos() >= 0) {
            ids[n++] = special.eos();
        }
        if (special.eot() >= 0) {
            ids[n++] = special.eot();
        }
        for (int id : req.stopTokens()) {
            ids[n++] = id;
        }
        return Arrays.copyOf(ids, n);
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
