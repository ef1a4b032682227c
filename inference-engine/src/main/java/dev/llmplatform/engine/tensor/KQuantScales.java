package dev.llmplatform.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale area of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins. Sub-blocks 0..3
 * keep both in the low 6 bits of bytes 0..3 (scales) and 4..7 (mins); sub-blocks 4..7 keep their low 4
 * bits in the nibbles of bytes 8..11 and their top 2 bits in the spare top bits of bytes 0..7.
 */
final class KQuantScales {
    static final int BYTES = 12;

    private KQuantScales() {
    }

    static int scale(MemorySegment data, long scalesOffset, int j) {
        if (j < 4) {
            return Layouts.u8(data, scalesOffset + j) & 63;
        }
        return (Layouts.u8(data, scalesOffset + j + 4) & 0xF) | (Layouts.u8(data, scalesOffset + j - 4) >>> 6) << 4;
    }

    static int min(MemorySegment data, long scalesOffset, int j) {
        if (j < 4) {
            return Layouts.u8(data, scalesOffset + j + 4) & 63;
        }
        return (Layouts.u8(data, scalesOffset + j + 4) >>> 4) | (Layouts.u8(data, scalesOffset + j) >>> 6) << 4;
    }

    /** Packs 6-bit {@code scales[8]} and {@code mins[8]} into the 12-byte layout. */
    static byte[] pack(int[] scales, int[] mins) {
        byte[] out = new byte[BYTES];
        for (int j = 0; j < 8; j++) {
            int s = scales[j];
            int m = mins[j];
            if (j < 4) {
                out[j] |= (byte) s;
                out[j + 4] |= (byte) m;
            } else {
                out[j + 4] = (byte) ((s & 0xF) | (m & 0xF) << 4);
                out[j - 4] |= (byte) ((s >>> 4) << 6);
                out[j] |= (byte) ((m >>> 4) << 6);
            }
        }
        return out;
    }
}
