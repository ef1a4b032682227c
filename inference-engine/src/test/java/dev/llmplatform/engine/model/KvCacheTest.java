package dev.llmplatform.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmplatform.engine.gguf.GgufFile;
import dev.llmplatform.engine.gguf.GgufSummary;
import dev.llmplatform.engine.gguf.GgufWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class KvCacheTest {
    private static final int LAYERS = 4;
    private static final int KV_HEADS = 8;
    private static final int HEAD_DIM = 128;

    @TempDir
    Path dir;

    /** Heap bytes this thread allocates while building a cache for {@code positions} positions. */
    private static long allocatedFor(KvType type, int positions) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        KvCache cache = KvCache.create(type, LAYERS, positions, KV_HEADS, HEAD_DIM, HEAD_DIM);
        long after = threads.getThreadAllocatedBytes(id);
        assertThat(cache.reserved()).isEqualTo(positions); // allocated in one go, no growth garbage counted
        return after - before;
    }

    @Test
    void f16HalvesAndQ8TakesAboutAQuarterOfTheF32Heap() {
        int positions = KvCache.INITIAL_POSITIONS;
        Map<KvType, Long> heap = new EnumMap<>(KvType.class);
        for (int round = 0; round < 2; round++) { // the first round loads classes, whose allocations would count
            for (KvType t : KvType.values()) {
                heap.put(t, allocatedFor(t, positions));
            }
        }
        long f32Payload = 4L * LAYERS * KV_HEADS * positions * 2 * HEAD_DIM;
        assertThat((double) heap.get(KvType.F32)).isCloseTo(f32Payload, within(f32Payload * 0.01));
        assertThat((double) heap.get(KvType.F16) / heap.get(KvType.F32)).isCloseTo(0.5, within(0.01));
        assertThat((double) heap.get(KvType.Q8_0) / heap.get(KvType.F32)).isCloseTo(34.0 / 128, within(0.01));
        for (KvType t : KvType.values()) {
            long reported = KvCache.create(t, LAYERS, positions, KV_HEADS, HEAD_DIM, HEAD_DIM).byteSize();
            assertThat((double) reported).as("byteSize of %s", t).isCloseTo(heap.get(t), within(heap.get(t) * 0.01));
        }
    }

    /** {@code llmp info}'s KV estimate is what a cache filled to that context really holds. */
    @ParameterizedTest
    @EnumSource(KvType.class)
    void ggufSummaryPredictsTheFilledCache(KvType type) throws IOException {
        Path model = dir.resolve("m.gguf");
        new GgufWriter()
                .put("general.architecture", "llama")
                .putUint32("llama.block_count", 3)
                .putUint32("llama.embedding_length", 256)
                .putUint32("llama.attention.head_count", 4)
                .putUint32("llama.attention.head_count_kv", 2)
                .addF32("w", new long[] {1}, new float[1])
                .write(model);
        int context = 1000;
        try (GgufFile file = GgufFile.open(model)) {
            GgufSummary s = GgufSummary.of(file, type.ggmlType());
            KvCache cache = KvCache.create(type, s.layers(), context, s.kvHeadCount(), s.keyLength(), s.valueLength());
            cache.reserve(context);
            assertThat(cache.byteSize()).isEqualTo(s.kvBytes(context));
        }
    }

    static Stream<Arguments> typesAndHeadDims() {
        // 40: rows that are not a whole number of SIMD vectors, so the scalar tails run too.
        return Stream.of(Arguments.of(KvType.F32, 64), Arguments.of(KvType.F32, 40), Arguments.of(KvType.F16, 64),
                Arguments.of(KvType.F16, 40), Arguments.of(KvType.Q8_0, 64), Arguments.of(KvType.Q8_0, 96));
    }

    @ParameterizedTest
    @MethodSource("typesAndHeadDims")
    void scoresAndWeightedValuesMatchTheStoredFloats(KvType type, int hd) {
        int kvHeads = 2;
        int positions = 300; // crosses the initial reservation, so growth must keep what was stored
        SplittableRandom random = new SplittableRandom(7);
        float[][] k = new float[positions][kvHeads * hd];
        float[][] v = new float[positions][kvHeads * hd];
        KvCache cache = KvCache.create(type, 2, positions, kvHeads, hd, hd);
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < kvHeads * hd; i++) {
                k[p][i] = (float) random.nextGaussian();
                v[p][i] = (float) random.nextGaussian();
            }
            cache.reserve(p + 1);
            cache.store(1, p, k[p], 0, v[p], 0);
        }
        float[] q = new float[hd];
        for (int i = 0; i < hd; i++) {
            q[i] = (float) random.nextGaussian();
        }
        // Relative error of one rounded element: 2^-11 for F16, up to 1/254 of the block max for Q8_0.
        double tolerance = switch (type) {
            case F32 -> 1e-5;
            case F16 -> 2e-3;
            case Q8_0 -> 2.5e-2;
        };
        int from = 17;
        int to = 281;
        float[] scores = new float[to - from];
        int head = 1;
        cache.keyScores(1, head, from, to, q, 0, scores);
        float[] weights = new float[to - from];
        float[] out = new float[hd];
        double[] expectedOut = new double[hd];
        for (int t = from; t < to; t++) {
            double dot = 0;
            double norm = 0;
            for (int i = 0; i < hd; i++) {
                dot += (double) q[i] * k[t][head * hd + i];
                norm += Math.abs((double) q[i] * k[t][head * hd + i]);
            }
            assertThat((double) scores[t - from]).as("score at %d", t).isCloseTo(dot, within(tolerance * norm));
            weights[t - from] = (float) random.nextDouble();
            for (int i = 0; i < hd; i++) {
                expectedOut[i] += weights[t - from] * v[t][head * hd + i];
            }
        }
        cache.addValues(1, head, from, to, weights, out, 0);
        for (int i = 0; i < hd; i++) {
            double scale = 0;
            for (int t = from; t < to; t++) {
                scale += Math.abs(weights[t - from] * v[t][head * hd + i]);
            }
            assertThat((double) out[i]).isCloseTo(expectedOut[i], within(tolerance * scale));
        }
        // What a prompt's attention packs: the stored rows as floats, element for element what the
        // per-position kernels compute with (a key row against a one-hot query is its stored value).
        float[] keys = new float[(to - from) * hd];
        float[] values = new float[(to - from) * hd];
        cache.readKeys(1, head, from, to, keys, 0);
        cache.readValues(1, head, from, to, values, 0);
        float[] oneHot = new float[hd];
        float[] score = new float[1];
        float[] value = new float[hd];
        for (int t = from; t < to; t += 37) {
            for (int i = 0; i < hd; i++) {
                oneHot[i] = 1;
                cache.keyScores(1, head, t, t + 1, oneHot, 0, score);
                oneHot[i] = 0;
                assertThat(keys[(t - from) * hd + i]).as("key %d[%d]", t, i).isEqualTo(score[0]);
                assertThat((double) keys[(t - from) * hd + i]).isCloseTo(k[t][head * hd + i],
                        within(tolerance * Math.max(1, Math.abs(k[t][head * hd + i]))));
            }
            java.util.Arrays.fill(value, 0f);
            cache.addValues(1, head, t, t + 1, new float[] {1}, value, 0);
            for (int i = 0; i < hd; i++) {
                assertThat(values[(t - from) * hd + i]).as("value %d[%d]", t, i).isEqualTo(value[i]);
            }
        }
    }

    /** The in-register half→float widening agrees with Float.float16ToFloat on every one of the 65536 halves. */
    @Test
    void vectorHalfConversionIsExactForEveryHalf() {
        short[] halves = new short[1 << 16];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = (short) i;
        }
        float[] widened = new float[halves.length];
        KvMath.axpyF16(1f, halves, 0, widened, 0, halves.length);
        for (int i = 0; i < halves.length; i++) {
            float expected = Float.float16ToFloat(halves[i]);
            if (Float.isNaN(expected)) {
                assertThat(widened[i]).as("half 0x%04x", i).isNaN();
            } else {
                assertThat(widened[i] == expected).as("half 0x%04x: %s vs %s", i, widened[i], expected).isTrue();
            }
        }
        float[] ones = new float[halves.length];
        java.util.Arrays.fill(ones, 1f);
        short[] finite = new short[] {0x3c00, (short) 0xc000, 0x0001, (short) 0x8400, 0x7bff, 0x3555, 0x2e66, 0x0400,
                0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x4000};
        double sum = 0;
        for (short h : finite) {
            sum += Float.float16ToFloat(h);
        }
        assertThat((double) KvMath.dotF16(ones, 0, finite, 0, finite.length)).isCloseTo(sum, within(1e-2));
    }

    @Test
    void q8RefusesHeadDimensionsThatAreNotBlocksOf32() {
        assertThatThrownBy(() -> KvCache.create(KvType.Q8_0, 1, 16, 2, 16, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiples of 32").hasMessageContaining("16");
        assertThat(KvCache.create(KvType.F16, 1, 16, 2, 16, 16).type()).isEqualTo(KvType.F16);
    }

    @Test
    void typesParseFromTheirCliNames() {
        assertThat(KvType.parse("q8_0")).isEqualTo(KvType.Q8_0);
        assertThat(KvType.parse("F16")).isEqualTo(KvType.F16);
        assertThat(KvType.parse(" f32 ")).isEqualTo(KvType.F32);
        assertThatThrownBy(() -> KvType.parse("q4_0")).hasMessageContaining("f16, q8_0 or f32");
    }
}
