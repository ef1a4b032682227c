package dev.llmplatform.engine.tensor;

import java.util.EnumMap;
import java.util.Map;

/**
 * Chooses each type's {@link RowKernel}: the Vector API kernel where there is one and the CPU has wide
 * enough vectors, otherwise the plain kernel. {@code -Dllmp.kernels=scalar} forces the plain kernels
 * (for comparisons and for JVMs started without {@code --add-modules jdk.incubator.vector}, which are
 * detected and fall back on their own).
 */
final class RowKernels {
    private static final boolean SIMD = simdAvailable();
    private static final Map<GgmlType, RowKernel> SIMD_KERNELS = new EnumMap<>(GgmlType.class);

    static {
        if (SIMD) {
            SimdKernelSet.register(SIMD_KERNELS);
        }
    }

    private RowKernels() {
    }

    private static boolean simdAvailable() {
        if ("scalar".equalsIgnoreCase(System.getProperty("llmp.kernels"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        return SimdKernelSet.usable();
    }

    static boolean simd() {
        return SIMD;
    }

    /** A description of the kernels in use, for logs and benchmark reports. */
    static String describe() {
        return SIMD ? "Vector API " + SimdKernelSet.describe() : "scalar";
    }

    static RowKernel forType(GgmlType type) {
        RowKernel k = SIMD_KERNELS.get(type);
        return k != null ? k : RowKernel.of(Kernels.forType(type));
    }
}
