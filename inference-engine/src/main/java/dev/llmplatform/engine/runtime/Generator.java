package dev.llmplatform.engine.runtime;

import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.util.function.Consumer;

/**
 * Runs one request to completion on the calling thread: prompt (batched, reusing the KV entries of a
 * shared prefix from the sequence's previous request), then sample → emit → decode until an end
 * token, a stop token or string, the token limit, the context's end, or an interrupt.
 */
public final class Generator {
    private final Tokenizer tokenizer;

    public Generator(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public GenerationResult generate(Sequence seq, GenerationRequest req, Consumer<GenerationEvent> listener) {
        GenerationSession session = new GenerationSession(tokenizer, seq, req, listener);
        session.prefill();
        for (int next = session.step(); next >= 0; next = session.step()) {
            seq.append(next);
        }
        return session.result();
    }
}
