package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q3_K: super-blocks of 256 = 16 sub-blocks of 16. Layout: {@code hmask[32]}, {@code qs[64]},
 * {@code scales[12]}, F16 {@code d}. Element {@code e}'s low 2 bits are in {@code qs} as in Q2_K, its
 * third bit is bit {@code e/32} of {@code hmask[e%32]}; a clear bit means −4: {@code q = low − (h ? 0 : 4)}.
 * The 16 scales are 6-bit, stored offset by 32: scale {@code j}'s low 4 bits are the low (j &lt; 8) or high
 * nibble of byte {@code j%8}, its high 2 bits are bits {@code 2·(j/4)} of byte {@code 8 + j%4};
 * {@code x = d·(scale − 32)·q}.
 */
final class Q3KKernel extends BlockKernel {
    private static final int HMASK = 0;
    private static final int QS = 32;
    private static final int SCALES = 96;
    private static final int D = 108;

    Q3KKernel() {
        super(GgmlType.Q3_K);
    }

    static int scale(MemorySegment data, long scalesOffset, int j) {
        int low = (Layouts.u8(data, scalesOffset + (j % 8)) >>> (j < 8 ? 0 : 4)) & 0xF;
        int high = (Layouts.u8(data, scalesOffset + 8 + j % 4) >>> (2 * (j / 4))) & 3;
        return (low | high << 4) - 32;
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset + D);
        int y = outOff;
        int sub = 0;
        int maskBit = 0;
        for (int half = 0; half < 2; half++) {
            long q = offset + QS + 32L * half;
            for (int shift = 0; shift < 8; shift += 2, maskBit++) {
                for (int part = 0; part < 2; part++, sub++) {
                    float dl = d * scale(data, offset + SCALES, sub);
                    for (int l = 0; l < 16; l++) {
                        int low = (Layouts.u8(data, q + 16 * part + l) >>> shift) & 3;
                        int high = (Layouts.u8(data, offset + HMASK + 16 * part + l) >>> maskBit) & 1;
                        out[y++] = dl * (low - (high != 0 ? 0 : 4));
                    }
                }
            }
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        int[] sc = new int[16];
        int[] q = new int[256];
        float d = KQuantEncoding.symmetric(src, srcOff, 16, 16, 3, 31, sc, q);
        byte[] hmask = new byte[32];
        byte[] qs = new byte[64];
        for (int e = 0; e < 256; e++) {
            int stored = q[e] + 4; // 0..7: bit 2 goes to hmask, bits 0..1 to qs
            qs[32 * (e / 128) + e % 32] |= (byte) ((stored & 3) << (2 * ((e % 128) / 32)));
            hmask[e % 32] |= (byte) ((stored >>> 2) << (e / 32));
        }
        byte[] scales = new byte[12];
        for (int j = 0; j < 16; j++) {
            int s = sc[j] + 32;
            scales[j % 8] |= (byte) ((s & 0xF) << (j < 8 ? 0 : 4));
            scales[8 + j % 4] |= (byte) ((s >>> 4) << (2 * (j / 4)));
        }
        dst.put(hmask);
        dst.put(qs);
        dst.put(scales);
        putF16(dst, d);
    }
}
