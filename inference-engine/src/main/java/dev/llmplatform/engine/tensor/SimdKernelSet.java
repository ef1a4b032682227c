package dev.llmplatform.engine.tensor;

import java.util.Map;

/** The Vector API kernels; only loaded once the incubator module is known to be present. */
final class SimdKernelSet {
    private SimdKernelSet() {
    }

    static boolean usable() {
        return Simd.usable();
    }

    static String describe() {
        return Simd.describe();
    }

    static void register(Map<GgmlType, RowKernel> kernels) {
        kernels.put(GgmlType.F32, new F32SimdKernel());
        kernels.put(GgmlType.F16, new F16SimdKernel());
        kernels.put(GgmlType.BF16, new BF16SimdKernel());
        kernels.put(GgmlType.Q8_0, new Q8_0SimdKernel());
        kernels.put(GgmlType.Q4_0, new Q4_0SimdKernel());
        kernels.put(GgmlType.Q5_0, new Q5_0SimdKernel());
        kernels.put(GgmlType.Q4_K, new Q4KSimdKernel());
        kernels.put(GgmlType.Q5_K, new Q5KSimdKernel());
        kernels.put(GgmlType.Q6_K, new Q6KSimdKernel());
    }
}
