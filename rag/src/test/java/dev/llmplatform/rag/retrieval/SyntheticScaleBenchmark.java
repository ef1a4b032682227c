package dev.llmplatform.rag.retrieval;

import dev.llmplatform.rag.Embedder;
import dev.llmplatform.rag.TestEmbedder;
import dev.llmplatform.rag.store.ChunkRecord;
import dev.llmplatform.rag.store.IndexedDocument;
import dev.llmplatform.rag.store.lucene.LuceneCollectionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query latency per search mode at scale (not a test: named *Benchmark, so Surefire skips it unless asked).
 * Chunks are synthetic — Zipf-distributed pseudo-words and random unit vectors, written straight to the
 * store (embedding 100K chunks would take hours on a small machine); queries are embedded by the real
 * encoder, so dense and hybrid latencies include query embedding as in production.
 *
 * <pre>
 * nice -n 10 ./mvnw -q -B -pl rag -am test -Dtest=SyntheticScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dllmp.bench.chunks=100000
 * </pre>
 */
class SyntheticScaleBenchmark {
    @TempDir
    Path dir;

    @Test
    void queryLatencyPerMode() {
        int chunks = Integer.getInteger("llmp.bench.chunks", 100_000);
        int queries = Integer.getInteger("llmp.bench.queries", 200);
        Embedder embedder = TestEmbedder.minilm();
        Random random = new Random(42);
        String[] vocabulary = vocabulary(random, 20_000);
        try (LuceneCollectionStore store = new LuceneCollectionStore(dir)) {
            store.create("bench", embedder.modelName(), embedder.dimensions());
            long t0 = System.nanoTime();
            List<IndexedDocument> batch = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                String text = words(random, vocabulary, 120);
                batch.add(new IndexedDocument("d" + i, words(random, vocabulary, 5), "synthetic", Map.of("bucket", i % 10),
                        List.of(new ChunkRecord(0, text, 0, text.length(), null, randomUnit(random, embedder.dimensions())))));
                if (batch.size() == 2000 || i == chunks - 1) {
                    store.upsert("bench", batch);
                    batch.clear();
                }
            }
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "indexed %d synthetic chunks (vectors given) in %.1f s: %.0f chunks/s; %d MB on disk%n",
                    chunks, indexSeconds, chunks / indexSeconds, store.describe("bench").orElseThrow().bytes() >> 20);
            Retriever retriever = new Retriever(store, embedder);
            for (SearchMode mode : SearchMode.values()) {
                double[] millis = new double[queries];
                for (int q = -20; q < queries; q++) { // 20 warm-up queries
                    SearchRequest request = SearchRequest.of(words(random, vocabulary, 8), mode, 10);
                    long s = System.nanoTime();
                    retriever.search("bench", request);
                    if (q >= 0) {
                        millis[q] = (System.nanoTime() - s) / 1e6;
                    }
                }
                Arrays.sort(millis);
                System.out.printf(Locale.ROOT, "%-6s top-10 over %d chunks: p50 %.1f ms, p95 %.1f ms (%d queries)%n",
                        mode.label(), chunks, millis[queries / 2], millis[(int) Math.ceil(queries * 0.95) - 1], queries);
            }
        }
    }

    private static String[] vocabulary(Random random, int size) {
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "dra", "ON", "el", "un", "ber", "gi", "sto"};
        String[] words = new String[size];
        for (int i = 0; i < size; i++) {
            StringBuilder w = new StringBuilder();
            int n = 2 + random.nextInt(3);
            for (int s = 0; s < n; s++) {
                w.append(syllables[random.nextInt(syllables.length)].toLowerCase(Locale.ROOT));
            }
            words[i] = w.toString();
        }
        return words;
    }

    /** Words drawn with a Zipf-like law (rank r with probability ∝ 1/r), as in natural text. */
    private static String words(Random random, String[] vocabulary, int n) {
        StringBuilder sb = new StringBuilder();
        double h = Math.log(vocabulary.length) + 0.5772;
        for (int i = 0; i < n; i++) {
            int rank = (int) Math.min(vocabulary.length - 1, Math.floor(Math.exp(random.nextDouble() * h)) - 1);
            sb.append(i == 0 ? "" : " ").append(vocabulary[Math.max(0, rank)]);
        }
        return sb.toString();
    }

    private static float[] randomUnit(Random random, int dim) {
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
