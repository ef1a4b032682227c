package dev.llmplatform.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmplatform.engine.tensor.GgmlType;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random mutations and truncations of a valid GGUF image: each either parses or fails with
 * a {@link GgufException}. No other exception (index out of bounds, negative array size, OOM from a
 * lying length) and no hang.
 */
class GgufFuzzTest {
    private static final int ITERATIONS = 6000;

    static byte[] seedImage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new GgufWriter()
                .put("general.architecture", "llama")
                .putUint32("llama.block_count", 2)
                .put("llama.rope.freq_base", 10000f)
                .put("tokenizer.ggml.tokens", new String[] {"<unk>", "<s>", "</s>", "▁the", "é"})
                .put("tokenizer.ggml.scores", new float[] {0, 0, 0, -1, -2})
                .putInt32("tokenizer.ggml.token_type", new int[] {2, 3, 3, 1, 1})
                .put("nested", GgufValue.ofArrays(GgufValueType.ARRAY,
                        List.of(GgufValue.of(new String[] {"x", "y"}), GgufValue.ofInt32(new int[] {7}))))
                .put("general.alignment", GgufValue.ofUint32(32))
                .addF32("token_embd.weight", new long[] {4, 5}, new float[20])
                .addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, new long[] {32, 2}, GgufWriter.TensorData.of(new byte[68]))
                .write(Channels.newChannel(bytes));
        return bytes.toByteArray();
    }

    @Test
    void theSeedImageParses() throws Exception {
        GgufFile g = GgufFile.parse(MemorySegment.ofArray(seedImage()));
        assertThat(g.tensors()).hasSize(2);
        assertThat(g.metadata().strings("tokenizer.ggml.tokens").orElseThrow()).hasSize(5);
    }

    @Test
    void mutationsAndTruncationsFailCleanly() throws Exception {
        byte[] seed = seedImage();
        Random random = new Random(20261123);
        int[] outcomes = new int[2]; // parsed, rejected
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] image = mutate(seed, random);
                try {
                    GgufFile.parse(MemorySegment.ofArray(image));
                    outcomes[0]++;
                } catch (GgufException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                    outcomes[1]++;
                } catch (Throwable t) {
                    throw new AssertionError("iteration " + i + ": " + t + " on image " + Arrays.toString(image), t);
                }
            }
        });
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        assertThat(outcomes[0]).isPositive();
        assertThat(outcomes[1]).isPositive();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // truncate anywhere
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 1 -> { // flip a few random bytes
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> { // plant a huge or negative 64-bit length/count at a random 8-byte position
                long lie = switch (random.nextInt(4)) {
                    case 0 -> Long.MAX_VALUE;
                    case 1 -> -1L;
                    case 2 -> 1L << (31 + random.nextInt(30));
                    default -> random.nextLong();
                };
                int at = random.nextInt(b.length - 8);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, lie);
            }
            case 3 -> { // plant a random 32-bit value (type ids, dimension counts, version)
                int at = random.nextInt(b.length - 4);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, random.nextInt(64) - 8);
            }
            default -> { // mutate and truncate the header region
                b[random.nextInt(Math.min(b.length, 400))] = (byte) random.nextInt(256);
                return Arrays.copyOf(b, Math.max(1, b.length - random.nextInt(64)));
            }
        }
        return b;
    }
}
