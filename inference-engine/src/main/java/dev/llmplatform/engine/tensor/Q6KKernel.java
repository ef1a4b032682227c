package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Q6_K: super-blocks of 256 = 16 sub-blocks of 16. Layout: {@code ql[128]} (low 4 bits),
 * {@code qh[64]} (high 2 bits), int8 {@code scales[16]}, F16 {@code d}. Each half of 128 elements uses
 * 64 bytes of ql and 32 of qh: for {@code l < 32}, elements {@code l, l+32, l+64, l+96} take the low
 * nibble of {@code ql[l]}, low nibble of {@code ql[l+32]}, high nibble of {@code ql[l]}, high nibble of
 * {@code ql[l+32]}, and bits 0-1, 2-3, 4-5, 6-7 of {@code qh[l]}; {@code x = d·scale·(q − 32)}.
 */
final class Q6KKernel extends BlockKernel {
    static final int QL = 0;
    static final int QH = 128;
    static final int SCALES = 192;
    static final int D = 208;

    Q6KKernel() {
        super(GgmlType.Q6_K);
    }

    @Override
    void decodeBlock(MemorySegment data, long offset, float[] out, int outOff) {
        float d = Layouts.f16(data, offset + D);
        for (int half = 0; half < 2; half++) {
            long ql = offset + QL + 64L * half;
            long qh = offset + QH + 32L * half;
            long sc = offset + SCALES + 8L * half;
            int y = outOff + 128 * half;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int lo = Layouts.u8(data, ql + l);
                int hi = Layouts.u8(data, ql + l + 32);
                int h = Layouts.u8(data, qh + l);
                int q1 = ((lo & 0xF) | (h & 3) << 4) - 32;
                int q2 = ((hi & 0xF) | ((h >>> 2) & 3) << 4) - 32;
                int q3 = ((lo >>> 4) | ((h >>> 4) & 3) << 4) - 32;
                int q4 = ((hi >>> 4) | ((h >>> 6) & 3) << 4) - 32;
                out[y + l] = d * data.get(Layouts.BYTE, sc + is) * q1;
                out[y + l + 32] = d * data.get(Layouts.BYTE, sc + is + 2) * q2;
                out[y + l + 64] = d * data.get(Layouts.BYTE, sc + is + 4) * q3;
                out[y + l + 96] = d * data.get(Layouts.BYTE, sc + is + 6) * q4;
            }
        }
    }

    @Override
    void encodeBlock(float[] src, int srcOff, ByteBuffer dst) {
        int[] sc = new int[16];
        int[] q = new int[256];
        float d = KQuantEncoding.symmetric(src, srcOff, 16, 16, 31, 127, sc, q);
        byte[] ql = new byte[128];
        byte[] qh = new byte[64];
        for (int e = 0; e < 256; e++) {
            int stored = q[e] + 32; // 0..63
            int half = e / 128;
            int quarter = (e % 128) / 32;
            int l = e % 32;
            ql[64 * half + l + (quarter % 2) * 32] |= (byte) ((stored & 0xF) << (4 * (quarter / 2)));
            qh[32 * half + l] |= (byte) ((stored >>> 4) << (2 * quarter));
        }
        dst.put(ql);
        dst.put(qh);
        for (int j = 0; j < 16; j++) {
            dst.put((byte) sc[j]);
        }
        putF16(dst, d);
    }
}
