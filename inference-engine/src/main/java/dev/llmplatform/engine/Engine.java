package dev.llmplatform.engine;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.model.Architecture;
import dev.llmplatform.engine.model.KvType;
import dev.llmplatform.engine.model.ModelConfig;
import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.GenerationEvent;
import dev.llmplatform.engine.runtime.GenerationRequest;
import dev.llmplatform.engine.runtime.GenerationResult;
import dev.llmplatform.engine.runtime.Generator;
import dev.llmplatform.engine.runtime.LogProbs;
import dev.llmplatform.engine.runtime.Scheduler;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.runtime.TokenLogprob;
import dev.llmplatform.engine.template.ChatPrompt;
import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.Parallel;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One loaded model: the entry point for running it. The weights (memory-mapped GGUF tensors, the hot
 * ones repacked for the kernels at load) are shared; each {@link Sequence} from {@link #newSequence(int)}
 * has its own KV cache, so several sequences can be driven concurrently from different threads (e.g. by
 * an HTTP server).
 *
 * <p>A loaded model owns what it runs on: its worker threads ({@link #threads()} of them, the calling
 * thread counted), the off-heap copies of its weights and the mapped file. Several engines in one
 * process each compute on their own pool. {@link #close()} releases all of it at once; afterwards every
 * use, also through a {@link Sequence} made earlier, fails with {@link IllegalStateException}.
 */
public final class Engine implements AutoCloseable {
    private final GgufFile file;
    private final ComputeResources resources;
    private final Transformer model;
    private final Set<Scheduler> schedulers = ConcurrentHashMap.newKeySet();
    private volatile Tokenizer tokenizer;
    private volatile ChatPrompt chatPrompt;
    private volatile boolean closed;

    private Engine(GgufFile file, ComputeResources resources, Transformer model) {
        this.file = file;
        this.resources = resources;
        this.model = model;
    }

    /** {@link #load(Path, int, boolean)} on {@link Parallel#defaultThreads()} threads, without warm-up. */
    public static Engine load(Path gguf) {
        return load(gguf, Parallel.defaultThreads(), false);
    }

    /** {@link #load(Path, int, boolean)} without warm-up. */
    public static Engine load(Path gguf, int threads) {
        return load(gguf, threads, false);
    }

    /**
     * Maps the GGUF file, assembles its architecture and lays out its weights for the kernels.
     *
     * @param threads threads computing for this model, the calling thread included (≥ 1)
     * @param warmUp  also run the model's kernels and a few throw-away forward passes until the JIT has
     *                compiled them (a few seconds on two cores), so that the first request runs at full speed
     *                instead of several times slower; for servers, not for one-shot commands
     */
    public static Engine load(Path gguf, int threads, boolean warmUp) {
        Parallel.checkThreads(threads);
        GgufFile file = GgufFile.open(gguf);
        ComputeResources resources = null;
        try {
            resources = new ComputeResources(threads);
            Engine engine = new Engine(file, resources, Architecture.load(file, resources));
            if (warmUp) {
                WarmUp.run(engine.model);
            }
            return engine;
        } catch (RuntimeException | Error e) {
            if (resources != null) {
                resources.close();
            }
            file.close();
            throw e;
        }
    }

    /** Threads computing for this model, the calling thread included. */
    public int threads() {
        return resources.threads();
    }

    /** Off-heap bytes this model allocated (its interleaved weight copies; not the mapped file); 0 once closed. */
    public long allocatedBytes() {
        return resources.allocatedBytes();
    }

    public boolean isClosed() {
        return closed;
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
        ensureOpen();
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
        ensureOpen();
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
     * decoded together, up to {@code maxBatch} at a time. Closing the engine closes it too.
     */
    public Scheduler newScheduler(int maxBatch) {
        Scheduler scheduler = new Scheduler(model, tokenizer(), maxBatch);
        schedulers.add(scheduler);
        if (closed) { // closed meanwhile: don't leave a scheduler running on a closed model
            scheduler.close();
            ensureOpen();
        }
        return scheduler;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the model " + file.path().getFileName() + " is closed; load it again to use it");
        }
    }

    /**
     * Unloads the model: stops the schedulers made by {@link #newScheduler}, then its worker threads,
     * frees the off-heap weight copies and unmaps the file, all before returning. Requests still running
     * on other threads fail with {@link IllegalStateException}; so does any later use. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        schedulers.forEach(Scheduler::close);
        schedulers.clear();
        resources.close();
        file.close();
    }
}
