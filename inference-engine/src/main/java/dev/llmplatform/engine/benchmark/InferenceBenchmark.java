package dev.llmplatform.engine.benchmark;

import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.Sequence;
import java.util.SplittableRandom;

/**
 * llama-bench's two measurements on a loaded model: prompt processing ({@code pp}: {@code promptTokens}
 * random tokens in one batched pass from an empty context) and text generation ({@code tg}:
 * {@code genTokens} single-token decode steps from an empty context). Each runs once to warm up (JIT,
 * page cache) and then {@code repetitions} times; results are tokens per second, mean and standard
 * deviation over the repetitions.
 */
public final class InferenceBenchmark {
    /** Tokens per batched forward call in prompt processing, as llama.cpp's default micro-batch. */
    public static final int PROMPT_BATCH = 512;

    /** Mean and standard deviation of tokens per second over the repetitions; {@code tokens == 0}: not run. */
    public record Result(int tokens, double meanTokensPerSecond, double stddevTokensPerSecond, int repetitions) {
        public boolean ran() {
            return tokens > 0;
        }
    }

    private final Transformer model;
    private final SplittableRandom random;

    public InferenceBenchmark(Transformer model, long seed) {
        this.model = model;
        this.random = new SplittableRandom(seed);
    }

    /** pp: {@code tokens} random tokens through the batched forward pass, from position 0. */
    public Result promptProcessing(int tokens, int repetitions) {
        if (tokens == 0) {
            return new Result(0, 0, 0, 0);
        }
        Sequence seq = new Sequence(model, tokens, Math.min(tokens, PROMPT_BATCH));
        double[] rates = new double[repetitions];
        for (int r = -1; r < repetitions; r++) {
            int[] input = randomTokens(tokens);
            seq.truncate(0);
            long start = System.nanoTime();
            seq.append(input);
            long elapsed = System.nanoTime() - start;
            if (r >= 0) {
                rates[r] = tokens / (elapsed / 1e9);
            }
        }
        return summarize(tokens, rates);
    }

    /** tg: {@code tokens} decode steps of one random token each, from position 0. */
    public Result textGeneration(int tokens, int repetitions) {
        if (tokens == 0) {
            return new Result(0, 0, 0, 0);
        }
        Sequence seq = new Sequence(model, tokens, 1);
        double[] rates = new double[repetitions];
        for (int r = -1; r < repetitions; r++) {
            int[] input = randomTokens(tokens);
            seq.truncate(0);
            long start = System.nanoTime();
            for (int token : input) {
                seq.append(token);
            }
            long elapsed = System.nanoTime() - start;
            if (r >= 0) {
                rates[r] = tokens / (elapsed / 1e9);
            }
        }
        return summarize(tokens, rates);
    }

    private int[] randomTokens(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(model.vocabularySize());
        }
        return ids;
    }

    private static Result summarize(int tokens, double[] rates) {
        double mean = 0;
        for (double r : rates) {
            mean += r;
        }
        mean /= rates.length;
        double variance = 0;
        for (double r : rates) {
            variance += (r - mean) * (r - mean);
        }
        double stddev = rates.length > 1 ? Math.sqrt(variance / (rates.length - 1)) : 0;
        return new Result(tokens, mean, stddev, rates.length);
    }
}
