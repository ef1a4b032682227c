package dev.llmplatform.engine;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.model.Architecture;
import dev.llmplatform.engine.model.ModelConfig;
import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.GenerationResult;
import dev.llmplatform.engine.runtime.Generator;
import dev.llmplatform.engine.runtime.KvType;
import dev.llmplatform.engine.runtime.LogProbs;
import dev.llmplatform.engine.runtime.Scheduler;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.runtime.TokenLogprob;
import dev.llmplatform.engine.template.ChatPrompt;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One loaded model: the entry point for running it. The weights (memory-mapped GGUF tensors, the hot
 * ones repacked for the kernels at load) are shared; each {@link Sequence} from {@link #newSequence(int)}
 * has its own KV cache, so several sequences can be driven concurrently from different threads (e.g. by
 * an HTTP server).
 */
public final class Engine implements AutoCloseable {
    private final GgufFile file;
    private final Transformer model;
    private volatile Tokenizer tokenizer;
    private volatile ChatPrompt chatPrompt;

    private Engine(GgufFile file, Transformer model) {
        this.file = file;
        this.model = model;
    }

    /** Maps the GGUF file and assembles its architecture. */
    public static Engine load(Path gguf) {
        GgufFile file = GgufFile.open(gguf);
        try {
            return new Engine(file, Architecture.load(file));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public GgufFile file() {
        return file;
    }

    public Transformer model() {
        return model;
    }

    public ModelConfig config() {
        return model.config();
    }

    /** A fresh sequence whose KV cache ({@link KvType#DEFAULT}) holds {@code contextLength} positions. */
    public Sequence newSequence(int contextLength) {
        return newSequence(contextLength, KvType.DEFAULT);
    }

    /** A fresh sequence whose KV cache of {@code kvType} holds {@code contextLength} positions. */
    public Sequence newSequence(int contextLength, KvType kvType) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        return new Sequence(model, contextLength, kvType);
    }

    /**
     * Teacher-forced scoring: entry {@code i} holds the {@code topN} most likely next tokens, with their
     * log-softmax, after {@code tokens[0..i]}.
     */
    public List<List<TokenLogprob>> score(int[] tokens, int topN) {
        return score(tokens, topN, KvType.DEFAULT);
    }

    /** {@link #score(int[], int)} with a KV cache of {@code kvType}. */
    public List<List<TokenLogprob>> score(int[] tokens, int topN, KvType kvType) {
        Sequence seq = newSequence(tokens.length, kvType);
        int vocab = model.vocabularySize();
        List<List<TokenLogprob>> out = new ArrayList<>(tokens.length);
        seq.appendScoringAll(tokens, (i, logits, off) -> out.add(LogProbs.top(logits, off, vocab, topN)));
        return out;
    }

    /** The model's tokenizer, read from the file's {@code tokenizer.ggml.*} keys on first use. */
    public Tokenizer tokenizer() {
        Tokenizer t = tokenizer;
        if (t == null) {
            synchronized (this) {
                if (tokenizer == null) {
                    tokenizer = TokenizerLoader.load(file);
                }
                t = tokenizer;
            }
        }
        return t;
    }

    /** The model's conversation → prompt builder (its chat template and tokenizer), made on first use. */
    public ChatPrompt chatPrompt() {
        ChatPrompt p = chatPrompt;
        if (p == null) {
            synchronized (this) {
                if (chatPrompt == null) {
                    chatPrompt = ChatPrompt.forModel(file.metadata(), tokenizer());
                }
                p = chatPrompt;
            }
        }
        return p;
    }

    /**
     * Runs one request on {@code seq}, streaming events to {@code listener} on the calling thread.
     * The sequence keeps the conversation's KV cache, so a following request that extends this prompt
     * only processes the new tokens.
     */
    public GenerationResult generate(Sequence seq, GenerationRequest request, Consumer<GenerationEvent> listener) {
        return new Generator(tokenizer()).generate(seq, request, listener);
    }

    /**
     * A continuous-batching scheduler for this model: requests submitted to it from any thread are
     * decoded together, up to {@code maxBatch} at a time. Close it before closing the engine.
     */
    public Scheduler newScheduler(int maxBatch) {
        return new Scheduler(model, tokenizer(), maxBatch);
    }

    @Override
    public void close() {
        file.close();
    }
}
