package dev.llmplatform.engine;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.model.Architecture;
import dev.llmplatform.engine.model.ModelConfig;
import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.LogProbs;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.runtime.TokenLogprob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One loaded model: the entry point for running it. The weights stay in the memory-mapped GGUF file
 * and are shared; each {@link Sequence} from {@link #newSequence(int)} has its own KV cache, so several
 * sequences can be driven concurrently from different threads (e.g. by an HTTP server).
 */
public final class Engine implements AutoCloseable {
    private final GgufFile file;
    private final Transformer model;

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

    /** A fresh sequence whose KV cache holds {@code contextLength} positions. */
    public Sequence newSequence(int contextLength) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        }
        return new Sequence(model, contextLength);
    }

    /**
     * Teacher-forced scoring: entry {@code i} holds the {@code topN} most likely next tokens, with their
     * log-softmax, after {@code tokens[0..i]}.
     */
    public List<List<TokenLogprob>> score(int[] tokens, int topN) {
        Sequence seq = newSequence(tokens.length);
        int vocab = model.vocabularySize();
        List<List<TokenLogprob>> out = new ArrayList<>(tokens.length);
        seq.appendScoringAll(tokens, (i, logits, off) -> out.add(LogProbs.top(logits, off, vocab, topN)));
        return out;
    }

    @Override
    public void close() {
        file.close();
    }
}
