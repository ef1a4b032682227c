package dev.llmplatform.engine.encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the native all-MiniLM-L6-v2 against ONNX Runtime on the same machine and thread count:
 * sentences per second for a batch of 32 short texts and a batch of 32 long ones (truncated to 256
 * tokens). Both get the same token ids; tokenization is timed separately. Runs are interleaved so
 * that background load affects both alike; the median of the rounds is reported.
 *
 * <p>Not part of the normal test run (tag "benchmark"). Run with:
 * {@code ./mvnw -q -B -pl inference-engine -am test -Dtest=EmbeddingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dllmp.test.excludedGroups=none}
 * (both use all processors; for N threads add
 * {@code -DargLine="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dllmp.threads=N"}).
 */
@Tag("benchmark")
class EmbeddingBenchmark {
    private static final int BATCH = 32;
    private static final int ROUNDS = 7;

    @Test
    void sentencesPerSecondVersusOnnxRuntime() throws Exception {
        try (SentenceEmbedder model = SentenceEmbedder.loadDefault()) {
            run(model);
        }
    }

    private static void run(SentenceEmbedder model) throws Exception {
        Random rnd = new Random(42);
        List<String> shortTexts = new ArrayList<>();
        List<String> longTexts = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            shortTexts.add(ReferenceTexts.sentence(rnd, 5 + rnd.nextInt(15)));
            longTexts.add(ReferenceTexts.sentence(rnd, 300 + rnd.nextInt(100)));
        }
        long t0 = System.nanoTime();
        int[][] shortIds = shortTexts.stream().map(model::tokenize).toArray(int[][]::new);
        int[][] longIds = longTexts.stream().map(model::tokenize).toArray(int[][]::new);
        double tokenizeMs = (System.nanoTime() - t0) / 1e6;
        int threads = model.threads();
        System.out.printf("threads %d, short batch %d texts of %.1f tokens on average, long batch %d texts of %.1f tokens;"
                        + " tokenizing both: %.1f ms%n", threads, BATCH, avg(shortIds), BATCH, avg(longIds), tokenizeMs);
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(threads)) {
            for (String name : new String[] {"short", "long"}) {
                int[][] ids = name.equals("short") ? shortIds : longIds;
                double[] ours = new double[ROUNDS];
                double[] theirs = new double[ROUNDS];
                for (int warm = 0; warm < 3; warm++) {
                    model.embedTokens(ids);
                    ort.embed(ids);
                }
                for (int r = 0; r < ROUNDS; r++) {
                    long s = System.nanoTime();
                    model.embedTokens(ids);
                    ours[r] = BATCH / ((System.nanoTime() - s) / 1e9);
                    s = System.nanoTime();
                    ort.embed(ids);
                    theirs[r] = BATCH / ((System.nanoTime() - s) / 1e9);
                }
                double o = median(ours);
                double t = median(theirs);
                System.out.printf("%-5s batch: native %.1f sentences/s, ONNX Runtime %.1f sentences/s, ratio %.2f×%n",
                        name, o, t, o / t);
            }
        }
    }

    private static double avg(int[][] ids) {
        return Arrays.stream(ids).mapToInt(a -> a.length).average().orElse(0);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
