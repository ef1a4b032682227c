package dev.llmplatform.structured.matcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a set of code point ranges into the UTF-8 byte-range sequences that match exactly those code
 * points (surrogates excluded, as they cannot appear in well-formed UTF-8). Each sequence is an array
 * of {@code [lo, hi]} byte pairs, one per byte of the encoding; the union of the sequences is the set.
 */
final class Utf8Ranges {
    private Utf8Ranges() {
    }

    static List<int[][]> sequences(int[] codePointRanges) {
        List<int[][]> out = new ArrayList<>();
        for (int i = 0; i < codePointRanges.length; i += 2) {
            int lo = codePointRanges[i];
            int hi = codePointRanges[i + 1];
            if (lo >= 0xD800 && lo <= 0xDFFF) {
                lo = 0xE000;
            }
            if (hi >= 0xD800 && hi <= 0xDFFF) {
                hi = 0xD7FF;
            }
            if (lo <= 0xD7FF && hi >= 0xE000) {
                split(lo, 0xD7FF, out);
                split(0xE000, hi, out);
            } else {
                split(lo, hi, out);
            }
        }
        return out;
    }

    private static final int[] MAX_BY_LENGTH = {0x7F, 0x7FF, 0xFFFF, 0x10FFFF};

    private static void split(int lo, int hi, List<int[][]> out) {
        if (lo > hi) {
            return;
        }
        for (int n = 0; n < 3; n++) {
            int max = MAX_BY_LENGTH[n];
            if (lo <= max && hi > max) {
                split(lo, max, out);
                split(max + 1, hi, out);
                return;
            }
        }
        int len = lo <= 0x7F ? 1 : lo <= 0x7FF ? 2 : lo <= 0xFFFF ? 3 : 4;
        for (int i = 1; i < len; i++) {
            int mask = (1 << (6 * i)) - 1;
            if ((lo & ~mask) != (hi & ~mask)) {
                if ((lo & mask) != 0) {
                    split(lo, lo | mask, out);
                    split((lo | mask) + 1, hi, out);
                    return;
                }
                if ((hi & mask) != mask) {
                    split(lo, (hi & ~mask) - 1, out);
                    split(hi & ~mask, hi, out);
                    return;
                }
            }
        }
        byte[] a = encode(lo);
        byte[] b = encode(hi);
        int[][] seq = new int[len][];
        for (int i = 0; i < len; i++) {
            seq[i] = new int[] {a[i] & 0xFF, b[i] & 0xFF};
        }
        out.add(seq);
    }

    static byte[] encode(int cp) {
        if (cp < 0x80) {
            return new byte[] {(byte) cp};
        }
        if (cp < 0x800) {
            return new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
        }
        if (cp < 0x10000) {
            return new byte[] {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
        }
        return new byte[] {(byte) (0xF0 | cp >> 18), (byte) (0x80 | cp >> 12 & 0x3F), (byte) (0x80 | cp >> 6 & 0x3F),
            (byte) (0x80 | cp & 0x3F)};
    }
}
