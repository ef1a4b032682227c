package dev.llmplatform.engine;

import dev.llmplatform.engine.model.Transformer;
import dev.llmplatform.engine.runtime.Sequence;
import dev.llmplatform.engine.tensor.ComputeResources;
import dev.llmplatform.engine.tensor.GgmlType;
import dev.llmplatform.engine.tensor.Quantizer;
import dev.llmplatform.engine.tensor.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Gets a freshly loaded model's code compiled before its first request. Until C2 has compiled the
 * kernels, the first tokens run interpreted or in C1 code over a gigabyte of weights (several seconds
 * for a 1B model). So the kernels of each weight type and width the model uses are first run many times
 * on small random matrices, which reaches the compile thresholds in a fraction of a second; then a few
 * real forward passes (a short prompt and some decode steps on a throw-away sequence) compile the rest of
 * the pass — norms, rotary embedding, attention, the KV cache — with the model's own shapes.
 */
final class WarmUp {
    /** Rows of a synthetic matrix: a few interleaved groups at every vector width. */
    private static final int ROWS = 256;
    /** Products per synthetic matrix: enough for C2's invocation and loop thresholds. */
    private static final int DECODE_CALLS = 400;
    private static final int BATCH_CALLS = 60;
    private static final int BATCH = 8;
    /** The real passes: a prompt of this many tokens, then this many decode steps. */
    private static final int PROMPT_TOKENS = 16;
    private static final int DECODE_STEPS = 8;

    private WarmUp() {
    }

    static void run(Transformer model) {
        warmKernels(model);
        warmForwardPass(model);
    }

    /** Each distinct (type, width) of the model's matrices, multiplied on a small random matrix. */
    private static void warmKernels(Transformer model) {
        record Shape(GgmlType type, int cols) {}
        Set<Shape> shapes = new LinkedHashSet<>();
        for (WeightMatrix m : model.matrices()) {
            shapes.add(new Shape(m.type(), m.cols()));
        }
        SplittableRandom random = new SplittableRandom(1);
        // The copies and threads of the synthetic matrices are freed right after; compiled code stays.
        try (ComputeResources scratch = new ComputeResources(model.resources().threads());
             Arena arena = Arena.ofShared()) {
            for (Shape shape : shapes) {
                float[] values = new float[ROWS * shape.cols()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextDouble() - 0.5);
                }
                byte[] bytes = Quantizer.quantize(shape.type(), values);
                MemorySegment data = arena.allocate(bytes.length, 64);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
                WeightMatrix w = new WeightMatrix("warm-up", shape.type(), data, ROWS, shape.cols(), scratch);
                float[] x = new float[BATCH * shape.cols()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (random.nextDouble() - 0.5);
                }
                float[] out = new float[BATCH * ROWS];
                for (int i = 0; i < DECODE_CALLS; i++) {
                    w.matvec(x, out);
                }
                for (int i = 0; i < BATCH_CALLS; i++) {
                    w.matmul(x, BATCH, out);
                }
            }
        }
    }

    /** A short prompt and a few decode steps through the real model, on a sequence thrown away after. */
    private static void warmForwardPass(Transformer model) {
        Sequence seq = new Sequence(model, PROMPT_TOKENS + DECODE_STEPS, PROMPT_TOKENS);
        SplittableRandom random = new SplittableRandom(2);
        int[] prompt = new int[PROMPT_TOKENS];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = random.nextInt(model.vocabularySize());
        }
        seq.append(prompt);
        for (int i = 0; i < DECODE_STEPS; i++) {
            seq.append(random.nextInt(model.vocabularySize()));
        }
    }
}
