package dev.llmplatform.api.serving;

import dev.llmplatform.api.web.ApiException;
import dev.llmplatform.engine.encoder.SentenceEmbedder;
import dev.llmplatform.engine.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sentence-embedding models by id ({@code default} is the bundled all-MiniLM-L6-v2; BERT GGUF files
 * are added at startup). Each model has one worker that takes every request waiting when it becomes
 * free and embeds them in one encoder pass, so concurrent requests are batched.
 */
@Component
public class EmbeddingService implements DisposableBean {
    public static final String DEFAULT_ID = "default";
    /** Tokens of waiting requests combined into one batch. */
    private static final int BATCH_TOKENS = 16_384;

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    /** One model's queue and worker thread. */
    private static final class Worker {
        record Job(int[][] inputs, CompletableFuture<List<float[]>> result) {
        }

        final String id;
        final SentenceEmbedder embedder;
        final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Worker(String id, SentenceEmbedder embedder) {
            this.id = id;
            this.embedder = embedder;
            this.thread = Thread.ofPlatform().daemon().name("llmp-embed-" + id).start(this::loop);
        }

        private void loop() {
            try {
                while (true) {
                    List<Job> batch = new ArrayList<>();
                    Job first = queue.take();
                    batch.add(first);
                    int tokens = count(first);
                    Job next;
                    while (tokens < BATCH_TOKENS && (next = queue.poll()) != null) {
                        batch.add(next);
                        tokens += count(next);
                    }
                    run(batch);
                }
            } catch (InterruptedException e) {
                for (Job j; (j = queue.poll()) != null; ) {
                    j.result().completeExceptionally(new IllegalStateException("the embedding model was unloaded"));
                }
            }
        }

        private void run(List<Job> batch) {
            int total = batch.stream().mapToInt(j -> j.inputs().length).sum();
            int[][] all = new int[total][];
            int k = 0;
            for (Job j : batch) {
                for (int[] ids : j.inputs()) {
                    all[k++] = ids;
                }
            }
            try {
                List<float[]> vectors = embedder.embedTokens(all);
                int off = 0;
                for (Job j : batch) {
                    j.result().complete(vectors.subList(off, off + j.inputs().length));
                    off += j.inputs().length;
                }
            } catch (RuntimeException e) {
                batch.forEach(j -> j.result().completeExceptionally(e));
            }
        }

        private static int count(Job j) {
            int n = 0;
            for (int[] ids : j.inputs()) {
                n += ids.length;
            }
            return n;
        }
    }

    /** What one request's inputs became. */
    public record Embeddings(String model, List<float[]> vectors, int promptTokens) {
    }

    /** Serves a BERT GGUF (or ONNX) file under {@code id}. */
    public void register(String id, Path path) throws IOException {
        workers.put(id, new Worker(id, SentenceEmbedder.load(path)));
    }

    /** Whether {@code id} names an embedding model (the default one is loaded on first use). */
    public boolean has(String id) {
        return DEFAULT_ID.equals(id) || SentenceEmbedder.DEFAULT_MODEL.equals(id) || workers.containsKey(id);
    }

    /** The ids served: {@code default} first. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        ids.add(DEFAULT_ID);
        workers.keySet().stream().filter(id -> !id.equals(DEFAULT_ID)).sorted().forEach(ids::add);
        return ids;
    }

    public int dimension(String id) {
        return worker(id).embedder.dimension();
    }

    /** Embeds texts; each is truncated to the model's input limit. */
    public Embeddings embedTexts(String id, List<String> texts) {
        Worker w = worker(id);
        int[][] inputs = new int[texts.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = w.embedder.tokenize(texts.get(i));
        }
        return run(w, inputs);
    }

    /** Embeds token-id inputs of the model's own vocabulary; [CLS]/[SEP] are added where missing. */
    public Embeddings embedTokens(String id, List<int[]> tokenInputs) {
        Worker w = worker(id);
        WordPieceTokenizer tok = w.embedder.tokenizer();
        int[][] inputs = new int[tokenInputs.size()][];
        for (int i = 0; i < inputs.length; i++) {
            int[] ids = tokenInputs.get(i);
            for (int t : ids) {
                if (t < 0 || t >= tok.vocabularySize()) {
                    throw ApiException.invalidRequest("input[" + i + "] has token id " + t + ", outside the model's vocabulary (0.."
                            + (tok.vocabularySize() - 1) + ")", "input");
                }
            }
            int body = Math.min(ids.length, w.embedder.maxTokens() - 2);
            int[] framed = new int[body + 2];
            framed[0] = tok.clsId();
            System.arraycopy(ids, 0, framed, 1, body);
            framed[body + 1] = tok.sepId();
            inputs[i] = ids.length > 0 && ids[0] == tok.clsId() && ids[ids.length - 1] == tok.sepId()
                    && ids.length <= w.embedder.maxTokens() ? ids : framed;
        }
        return run(w, inputs);
    }

    private Embeddings run(Worker w, int[][] inputs) {
        int tokens = Arrays.stream(inputs).mapToInt(a -> a.length).sum();
        CompletableFuture<List<float[]>> result = new CompletableFuture<>();
        w.queue.add(new Worker.Job(inputs, result));
        try {
            return new Embeddings(w.id, result.get(), tokens);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private Worker worker(String id) {
        String key = SentenceEmbedder.DEFAULT_MODEL.equals(id) ? DEFAULT_ID : id;
        if (DEFAULT_ID.equals(key)) {
            return workers.computeIfAbsent(DEFAULT_ID, k -> new Worker(DEFAULT_ID, SentenceEmbedder.loadDefault()));
        }
        Worker w = workers.get(key);
        if (w == null) {
            throw ApiException.modelNotFound(id);
        }
        return w;
    }

    public Collection<String> loadedIds() {
        return List.copyOf(workers.keySet());
    }

    @Override
    public void destroy() {
        for (Worker w : workers.values()) {
            w.thread.interrupt();
            try {
                w.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            w.embedder.close();
        }
        workers.clear();
    }
}
