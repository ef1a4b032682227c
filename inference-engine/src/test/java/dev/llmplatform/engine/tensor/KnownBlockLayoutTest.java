package dev.llmplatform.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-built blocks with arbitrary bytes, decoded by the kernels and compared with values derived here
 * from ggml's block definitions element by element (and, for the packed K-quant scales, with the 32-bit
 * mask arithmetic ggml's SIMD dot products use). A quantizer and dequantizer that agree with each other
 * but not with ggml would pass a round trip; they cannot pass this.
 */
class KnownBlockLayoutTest {
    private final Random random = new Random(1234);

    @Test
    void q4_0LowNibblesAreTheFirstHalf() {
        byte[] block = new byte[18];
        put16(block, 0, Float.floatToFloat16(0.5f));
        block[2] = (byte) 0x9F; // element 0 ← 0xF, element 16 ← 0x9
        block[17] = (byte) 0x20; // element 15 ← 0x0, element 31 ← 0x2
        float[] x = decode(GgmlType.Q4_0, block);
        assertThat(x[0]).isEqualTo((15 - 8) * 0.5f);
        assertThat(x[16]).isEqualTo((9 - 8) * 0.5f);
        assertThat(x[15]).isEqualTo((0 - 8) * 0.5f);
        assertThat(x[31]).isEqualTo((2 - 8) * 0.5f);
        assertThat(x[1]).isEqualTo(-4f); // zero byte: both nibbles are 0 → −8·d
    }

    @Test
    void q4_0AndQ4_1() {
        byte[] b = randomBytes(18);
        put16(b, 0, Float.floatToFloat16(0.25f));
        assertDecodes(GgmlType.Q4_0, b, e -> 0.25 * (nibble(b[2 + e % 16], e / 16) - 8));

        byte[] c = randomBytes(20);
        put16(c, 0, Float.floatToFloat16(0.125f));
        put16(c, 2, Float.floatToFloat16(-1.5f));
        assertDecodes(GgmlType.Q4_1, c, e -> 0.125 * nibble(c[4 + e % 16], e / 16) - 1.5);
    }

    @Test
    void q5_0AndQ5_1TakeTheFifthBitFromTheLittleEndianWord() {
        byte[] b = randomBytes(22);
        put16(b, 0, Float.floatToFloat16(0.5f));
        long qh = ByteBuffer.wrap(b, 2, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        assertDecodes(GgmlType.Q5_0, b, e -> 0.5 * ((nibble(b[6 + e % 16], e / 16) | ((qh >> e) & 1) << 4) - 16));

        byte[] c = randomBytes(24);
        put16(c, 0, Float.floatToFloat16(2f));
        put16(c, 2, Float.floatToFloat16(-3f));
        long qh1 = ByteBuffer.wrap(c, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        assertDecodes(GgmlType.Q5_1, c, e -> 2.0 * (nibble(c[8 + e % 16], e / 16) | ((qh1 >> e) & 1) << 4) - 3);
    }

    @Test
    void q8_0() {
        byte[] b = randomBytes(34);
        put16(b, 0, Float.floatToFloat16(0.75f));
        assertDecodes(GgmlType.Q8_0, b, e -> 0.75 * b[2 + e]);
    }

    @Test
    void floatTypes() {
        byte[] f16 = new byte[8];
        put16(f16, 0, (short) 0x3C00);
        put16(f16, 2, (short) 0xC000);
        put16(f16, 4, (short) 0x0001);
        put16(f16, 6, (short) 0x7BFF);
        assertThat(decode(GgmlType.F16, f16)).containsExactly(1f, -2f, 0x1p-24f, 65504f);

        byte[] bf16 = new byte[4];
        put16(bf16, 0, (short) 0x3F80);
        put16(bf16, 2, (short) 0xC049);
        assertThat(decode(GgmlType.BF16, bf16)).containsExactly(1f, -3.140625f);

        byte[] f32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-0.1f).array();
        assertThat(decode(GgmlType.F32, f32)).containsExactly(1.5f, -0.1f);
    }

    @Test
    void q2_K() {
        byte[] b = randomBytes(84);
        put16(b, 80, Float.floatToFloat16(0.5f));
        put16(b, 82, Float.floatToFloat16(0.25f));
        assertDecodes(GgmlType.Q2_K, b, e -> {
            int q = (u8(b[16 + 32 * (e / 128) + e % 32]) >> (2 * ((e % 128) / 32))) & 3;
            int sc = u8(b[e / 16]);
            return 0.5 * (sc & 0xF) * q - 0.25 * (sc >> 4);
        });
    }

    @Test
    void q3_K() {
        byte[] b = randomBytes(110);
        put16(b, 108, Float.floatToFloat16(0.125f));
        // ggml unpacks the 12 scale bytes as three 32-bit words into four, each byte a 6-bit scale.
        int[] w = ints(b, 96, 3);
        int kmask1 = 0x03030303;
        int kmask2 = 0x0f0f0f0f;
        int[] aux = {
            (w[0] & kmask2) | (((w[2] >>> 0) & kmask1) << 4),
            (w[1] & kmask2) | (((w[2] >>> 2) & kmask1) << 4),
            ((w[0] >>> 4) & kmask2) | (((w[2] >>> 4) & kmask1) << 4),
            ((w[1] >>> 4) & kmask2) | (((w[2] >>> 6) & kmask1) << 4)};
        assertDecodes(GgmlType.Q3_K, b, e -> {
            int scale = ((aux[e / 16 / 4] >>> (8 * (e / 16 % 4))) & 0xFF) - 32;
            int low = (u8(b[32 + 32 * (e / 128) + e % 32]) >> (2 * ((e % 128) / 32))) & 3;
            int high = (u8(b[e % 32]) >> (e / 32)) & 1;
            return 0.125 * scale * (low - (high == 1 ? 0 : 4));
        });
    }

    @Test
    void q4_K() {
        byte[] b = randomBytes(144);
        put16(b, 0, Float.floatToFloat16(0.5f));
        put16(b, 2, Float.floatToFloat16(0.0625f));
        int[][] scalesAndMins = kScales(b, 4);
        assertDecodes(GgmlType.Q4_K, b, e -> {
            int q = nibble(b[16 + 32 * (e / 64) + e % 32], (e % 64) / 32);
            return 0.5 * scalesAndMins[0][e / 32] * q - 0.0625 * scalesAndMins[1][e / 32];
        });
    }

    @Test
    void q5_K() {
        byte[] b = randomBytes(176);
        put16(b, 0, Float.floatToFloat16(0.25f));
        put16(b, 2, Float.floatToFloat16(0.125f));
        int[][] scalesAndMins = kScales(b, 4);
        assertDecodes(GgmlType.Q5_K, b, e -> {
            int q = nibble(b[48 + 32 * (e / 64) + e % 32], (e % 64) / 32) | ((u8(b[16 + e % 32]) >> (e / 32)) & 1) << 4;
            return 0.25 * scalesAndMins[0][e / 32] * q - 0.125 * scalesAndMins[1][e / 32];
        });
    }

    @Test
    void q6_K() {
        byte[] b = randomBytes(210);
        put16(b, 208, Float.floatToFloat16(0.5f));
        assertDecodes(GgmlType.Q6_K, b, e -> {
            int half = e / 128;
            int quarter = (e % 128) / 32;
            int l = e % 32;
            int low = nibble(b[64 * half + l + 32 * (quarter % 2)], quarter / 2);
            int high = (u8(b[128 + 32 * half + l]) >> (2 * quarter)) & 3;
            return 0.5 * b[192 + e / 16] * ((low | high << 4) - 32);
        });

        // One literal element: ql[0] = 0x21, qh[0] = 0b11, scale[0] = −3, d = 0.5 → q = 0x31 − 32 = 17.
        byte[] c = new byte[210];
        c[0] = 0x21;
        c[128] = 0b11;
        c[192] = -3;
        put16(c, 208, Float.floatToFloat16(0.5f));
        assertThat(decode(GgmlType.Q6_K, c)[0]).isEqualTo(0.5f * -3 * 17);
    }

    /**
     * Q4_K/Q5_K scales and mins as ggml's vectorised dot products unpack them: three 32-bit words into
     * four, then bytes 0..7 are the scales and bytes 8..15 the mins.
     */
    private static int[][] kScales(byte[] b, int offset) {
        int[] u = new int[4];
        System.arraycopy(ints(b, offset, 3), 0, u, 0, 3);
        int kmask1 = 0x3f3f3f3f;
        int kmask2 = 0x0f0f0f0f;
        int kmask3 = 0x03030303;
        u[3] = ((u[2] >>> 4) & kmask2) | (((u[1] >>> 6) & kmask3) << 4);
        int uaux = u[1] & kmask1;
        u[1] = (u[2] & kmask2) | (((u[0] >>> 6) & kmask3) << 4);
        u[2] = uaux;
        u[0] &= kmask1;
        int[][] out = new int[2][8];
        for (int j = 0; j < 8; j++) {
            out[0][j] = (u[j / 4] >>> (8 * (j % 4))) & 0xFF;
            out[1][j] = (u[2 + j / 4] >>> (8 * (j % 4))) & 0xFF;
        }
        return out;
    }

    private interface Expected {
        double at(int element);
    }

    private static void assertDecodes(GgmlType type, byte[] block, Expected expected) {
        float[] actual = decode(type, block);
        for (int e = 0; e < actual.length; e++) {
            double want = expected.at(e);
            assertThat((double) actual[e]).as("%s element %d", type, e).isCloseTo(want, within(1e-6 * Math.abs(want) + 1e-12));
        }
        // The dot product must use the same layout: against a one-hot vector it picks out each element.
        TypeKernel kernel = Kernels.forType(type);
        float[] onehot = new float[actual.length];
        for (int e = 0; e < actual.length; e += 37) {
            onehot[e] = 1;
            assertThat(kernel.dot(MemorySegment.ofArray(block), 0, onehot, 0, actual.length))
                    .as("%s dot picks element %d", type, e).isCloseTo(actual[e], within(1e-6f * Math.abs(actual[e]) + 1e-12f));
            onehot[e] = 0;
        }
    }

    private static float[] decode(GgmlType type, byte[] block) {
        int n = Math.toIntExact(block.length / type.typeSize() * type.blockSize());
        float[] out = new float[n];
        Kernels.forType(type).dequantize(MemorySegment.ofArray(block), 0, out, 0, n);
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static int[] ints(byte[] b, int offset, int count) {
        ByteBuffer buf = ByteBuffer.wrap(b, offset, 4 * count).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = buf.getInt();
        }
        return out;
    }

    private static void put16(byte[] b, int offset, short v) {
        b[offset] = (byte) v;
        b[offset + 1] = (byte) (v >> 8);
    }

    private static int u8(byte b) {
        return b & 0xFF;
    }

    private static int nibble(byte b, int high) {
        return (u8(b) >> (4 * high)) & 0xF;
    }
}
