package dev.llmplatform.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * Runs one weight type's product kernels on a small random matrix until the JIT has compiled them, so a
 * freshly loaded model's first tokens do not run them interpreted over a gigabyte of weights (several
 * times slower for the first seconds). The kernels are called directly, on the calling thread, over five
 * groups of rows: that takes each decode kernel through both its four-groups-at-a-time and its
 * one-group loop, as chunks of a real matrix do. The matrix is only a block or two wide: until C1 has
 * compiled them, Vector API kernels run interpreted at a few microseconds per vector operation, and the
 * compile thresholds count calls as well as loop trips, so many short calls get there soonest.
 */
public final class KernelWarmUp {
    private static final int GROUPS = 5;
    /** Calls per kernel: past C2's invocation thresholds (a few thousand loop trips per call besides). */
    private static final int DECODE_CALLS = 1500;
    private static final int BATCH_CALLS = 300;

    private KernelWarmUp() {
    }

    /**
     * Compiles the kernels products of {@code type} use: the interleaved ones when {@code interleaved}
     * (as {@link WeightMatrix#isInterleaved()} says of the model's matrices), else the row kernels.
     */
    public static void run(GgmlType type, boolean interleaved) {
        SplittableRandom random = new SplittableRandom(type.ordinal());
        int cols = type.blockSize() >= 256 ? type.blockSize() : 64; // one K-quant block, or two 32-wide ones
        int rows = GROUPS * 4 * InterleavedMatrix.G; // enough for five groups of any layout
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() - 0.5);
        }
        byte[] bytes = Quantizer.quantize(type, values);
        float[] x = new float[8 * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        float[] out = new float[8 * rows];
        // One thread: everything runs here, and nothing is left behind but compiled code.
        try (Arena arena = Arena.ofShared(); ComputeResources scratch = new ComputeResources(1)) {
            MemorySegment data = arena.allocate(bytes.length, 64);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, 0, bytes.length);
            WeightMatrix w = new WeightMatrix("warm-up", type, data, rows, cols, scratch, interleaved);
            InterleavedMatrix im = interleaved && RowKernels.simd() ? InterleavedMatrix.of(type, data, rows, cols, scratch) : null;
            if (im != null) {
                int groups = Math.min(GROUPS, im.groups);
                for (int i = 0; i < DECODE_CALLS; i++) {
                    im.multiply(x, 0, out, 0, 0, groups);
                }
                for (int i = 0; i < BATCH_CALLS; i++) {
                    im.multiply4(x, 0, out, 0, rows, 0, groups);
                    im.multiply8(x, 0, out, 0, rows, 0, groups);
                }
            } else {
                for (int i = 0; i < DECODE_CALLS; i++) {
                    w.matmul(x, 1, out);
                }
                for (int i = 0; i < BATCH_CALLS; i++) {
                    w.matmul(x, 4, out);
                }
            }
        }
    }
}
