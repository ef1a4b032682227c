package dev.llmplatform.engine.runtime;

import dev.llmplatform.engine.tokenizer.SpecialTokens;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The generation loop of one request on one {@link Sequence}: prompt (batched, reusing the KV entries
 * of a shared prefix from the sequence's previous request), then sample → emit → decode until an end
 * token, a stop token or string, the token limit or the context's end.
 */
public final class Generator {
    private final Tokenizer tokenizer;

    public Generator(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public GenerationResult generate(Sequence seq, GenerationRequest req, Consumer<GenerationEvent> listener) {
        int[] prompt = req.prompt();
        if (prompt.length >= seq.capacity()) {
            throw new Sequence.ContextFullException(prompt.length + 1, seq.capacity());
        }
        long t0 = System.nanoTime();
        int cached = reusablePrefix(seq, prompt);
        seq.truncate(cached);
        float[] logits = seq.append(Arrays.copyOfRange(prompt, cached, prompt.length));
        long promptNanos = System.nanoTime() - t0;

        SpecialTokens special = tokenizer.specialTokens();
        int[] endTokens = endTokens(special, req);
        Sampler sampler = new Sampler(req.sampling(), logits.length, endTokens);
        LogitsConstraint constraint = req.constraint();
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        StopStringMatcher stops = new StopStringMatcher(req.stop());
        StringBuilder text = new StringBuilder();
        int[] generated = new int[Math.min(req.maxTokens(), seq.remaining() + 1)];
        int count = 0;
        FinishReason reason = FinishReason.LENGTH;
        long decodeStart = 0;
        while (count < req.maxTokens()) {
            if (Thread.currentThread().isInterrupted()) {
                reason = FinishReason.CANCELLED;
                break;
            }
            int id = sampler.sample(logits, seq, constraint);
            boolean end = contains(endTokens, id);
            float logprob = Float.NaN;
            List<TokenLogprob> top = List.of();
            if (req.topLogprobs() >= 0) {
                logprob = LogProbs.logprob(logits, 0, logits.length, id);
                top = req.topLogprobs() > 0 ? LogProbs.top(logits, 0, logits.length, req.topLogprobs()) : List.of();
            }
            if (end) {
                reason = FinishReason.STOP;
                break;
            }
            if (constraint != null) {
                constraint.accept(id);
            }
            generated[count++] = id;
            String released = stops.push(utf8.push(tokenizer.tokenBytes(id)));
            text.append(released);
            listener.accept(new GenerationEvent.Token(id, released, logprob, top));
            if (stops.stopped()) {
                reason = FinishReason.STOP;
                break;
            }
            if (count == req.maxTokens() || seq.remaining() == 0) {
                reason = FinishReason.LENGTH;
                break;
            }
            if (count == 1) {
                decodeStart = System.nanoTime();
            }
            logits = seq.append(id);
        }
        String tail = stops.stopped() ? "" : stops.push(utf8.finish()) + stops.flush();
        text.append(tail);
        long decodeNanos = decodeStart == 0 ? 0 : System.nanoTime() - decodeStart;
        GenerationStats stats = new GenerationStats(prompt.length, cached, count, promptNanos, decodeNanos);
        listener.accept(new GenerationEvent.Finished(reason, tail, stats));
        return new GenerationResult(text.toString(), Arrays.copyOf(generated, count), reason, stats);
    }

    /** How many leading prompt tokens the sequence already holds (at least one must be recomputed for logits). */
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
