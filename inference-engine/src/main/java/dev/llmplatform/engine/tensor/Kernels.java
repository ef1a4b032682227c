package dev.llmplatform.engine.tensor;

import java.util.EnumMap;
import java.util.Map;

/** The kernel of each supported weight type. */
public final class Kernels {
    private static final Map<GgmlType, TypeKernel> KERNELS = new EnumMap<>(GgmlType.class);

    static {
        register(new F32Kernel());
        register(new F16Kernel());
        register(new BF16Kernel());
        register(new Q8_0Kernel());
        register(new Q4_0Kernel());
        register(new Q4_1Kernel());
        register(new Q5_0Kernel());
        register(new Q5_1Kernel());
        register(new Q2KKernel());
        register(new Q3KKernel());
        register(new Q4KKernel());
        register(new Q5KKernel());
        register(new Q6KKernel());
    }

    private Kernels() {
    }

    private static void register(TypeKernel k) {
        KERNELS.put(k.type(), k);
    }

    /**
     * How matrix products run on this JVM and CPU: "Vector API 512-bit (16 floats)" or "scalar"
     * (benchmark reports print it).
     */
    public static String implementation() {
        return RowKernels.describe();
    }

    public static boolean isSupported(GgmlType type) {
        return KERNELS.containsKey(type);
    }

    /** @throws UnsupportedOperationException naming the type if it has no kernel */
    public static TypeKernel forType(GgmlType type) {
        TypeKernel k = KERNELS.get(type);
        if (k == null) {
            throw new UnsupportedOperationException("tensor type " + type + " is not supported");
        }
        return k;
    }
}
