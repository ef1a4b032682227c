package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q5_K: as Q4_K plus a fifth bit per element. Layout: F16 {@code d}, F16 {@code dmin}, 12 bytes of
 * scales and mins, {@code qh[32]}, {@code qs[128]}; element {@code e}'s fifth bit is bit {@code e/32} of
 * {@code qh[e%32]}; {@code x = d·scale·q − dmin·min}.
 */
final class Q5KKernel extends BlockKernel {
    private static final int D = 0;
    private static final int DMIN = 2;
    private static final int SCALES = 4;
    private static final int QH = 16;
    private static final int QS = 48;

    Q5KKernel() {
        super(GgmlType.Q5_K);
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
                    int low = (Layouts.u8(data, q + l) >>> (4 * nibble)) & 0xF;
                    int high = (Layouts.u8(data, offset + QH + l) >>> sub) & 1;
                    out[y++] = dl * (low | high << 4) - ml;
                }
            }
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        int[] sc = new int[8];
        int[] m = new int[8];
        int[] q = new int[256];
        float[] dm = KQuantEncoding.asymmetric(src, srcOff, 8, 32, 31, 63, sc, m, q);
        putF16(dst, dm[0]);
        putF16(dst, dm[1]);
        dst.put(KQuantScales.pack(sc, m));
        byte[] qh = new byte[32];
        byte[] qs = new byte[128];
        for (int e = 0; e < 256; e++) {
            qs[32 * (e / 64) + e % 32] |= (byte) ((q[e] & 0xF) << (4 * ((e % 64) / 32)));
            qh[e % 32] |= (byte) ((q[e] >>> 4) << (e / 32));
        }
        dst.put(qh);
        dst.put(qs);
    }
}
