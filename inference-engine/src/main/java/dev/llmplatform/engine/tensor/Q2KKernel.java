package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q2_K: super-blocks of 256 = 16 sub-blocks of 16. Layout: {@code scales[16]} (low nibble the
 * sub-block's scale, high nibble its min), {@code qs[64]} (2-bit quants), F16 {@code d}, F16
 * {@code dmin}. Element {@code e} is in {@code qs[32·(e/128) + e%32]} at bits {@code 2·((e%128)/32)};
 * {@code x = d·scale·q − dmin·min} for its sub-block {@code e/16}.
 */
final class Q2KKernel extends BlockKernel {
    private static final int SCALES = 0;
    private static final int QS = 16;
    private static final int D = 80;
    private static final int DMIN = 82;

    Q2KKernel() {
        super(GgmlType.Q2_K);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset + D);
        float dmin = Layouts.f16(data, offset + DMIN);
        int y = outOff;
        int sub = 0;
        for (int half = 0; half < 2; half++) {
            long q = offset + QS + 32L * half;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int part = 0; part < 2; part++, sub++) {
                    int sc = Layouts.u8(data, offset + SCALES + sub);
                    float dl = d * (sc & 0xF);
                    float ml = dmin * (sc >>> 4);
                    for (int l = 0; l < 16; l++) {
                        out[y++] = dl * ((Layouts.u8(data, q + 16 * part + l) >>> shift) & 3) - ml;
                    }
                }
            }
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        int[] sc = new int[16];
        int[] m = new int[16];
        int[] q = new int[256];
        float[] dm = KQuantEncoding.asymmetric(src, srcOff, 16, 16, 3, 15, sc, m, q);
        for (int j = 0; j < 16; j++) {
            dst.put((byte) (sc[j] | m[j] << 4));
        }
        byte[] qs = new byte[64];
        for (int e = 0; e < 256; e++) {
            qs[32 * (e / 128) + e % 32] |= (byte) (q[e] << (2 * ((e % 128) / 32)));
        }
        dst.put(qs);
        putF16(dst, dm[0]);
        putF16(dst, dm[1]);
    }
}
