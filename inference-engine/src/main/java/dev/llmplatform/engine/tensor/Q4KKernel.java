package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q4_K: super-blocks of 256 = 8 sub-blocks of 32. Layout: F16 {@code d}, F16 {@code dmin}, 12 bytes of
 * 6-bit scales and mins ({@link KQuantScales}), {@code qs[128]}. Each 64 elements use 32 bytes: low
 * nibbles are the first 32 elements, high nibbles the next 32; {@code x = d·scale·q − dmin·min}.
 */
final class Q4KKernel extends BlockKernel {
    static final int D = 0;
    static final int DMIN = 2;
    static final int SCALES = 4;
    static final int QS = 16;

    Q4KKernel() {
        super(GgmlType.Q4_K);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset + D);
        float dmin = Layouts.f16(data, offset + DMIN);
        int y = outOff;
        for (int chunk = 0; chunk < 4; chunk++) {
            long q = offset + QS + 32L * chunk;
            for (int nibble = 0; nibble < 2; nibble++) {
                int sub = 2 * chunk + nibble;
                float dl = d * KQuantScales.scale(data, offset + SCALES, sub);
                float ml = dmin * KQuantScales.min(data, offset + SCALES, sub);
                for (int l = 0; l < 32; l++) {
                    out[y++] = dl * ((Layouts.u8(data, q + l) >>> (4 * nibble)) & 0xF) - ml;
                }
            }
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        int[] sc = new int[8];
        int[] m = new int[8];
        int[] q = new int[256];
        float[] dm = KQuantEncoding.asymmetric(src, srcOff, 8, 32, 15, 63, sc, m, q);
        putF16(dst, dm[0]);
        putF16(dst, dm[1]);
        dst.put(KQuantScales.pack(sc, m));
        byte[] qs = new byte[128];
        for (int e = 0; e < 256; e++) {
            qs[32 * (e / 64) + e % 32] |= (byte) (q[e] << (4 * ((e % 64) / 32)));
        }
        dst.put(qs);
    }
}
