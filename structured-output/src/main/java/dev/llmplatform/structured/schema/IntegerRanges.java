package dev.llmplatform.structured.schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * GBNF for the decimal numerals of the integers in a range (no leading zeros), built digit by digit:
 * {@code [25, 310]} becomes {@code "2" [5-9] | [3-9] [0-9] | [1-2] [0-9] [0-9] | "3" "0" [0-9] | "31" "0"}.
 */
final class IntegerRanges {
    private IntegerRanges() {
    }

    /** Integers in {@code [lo, hi]}; null bounds are unbounded. Returns null if the range is empty. */
    static String range(BigInteger lo, BigInteger hi) {
        List<String> alts = new ArrayList<>();
        BigInteger minusOne = BigInteger.ONE.negate();
        if (lo == null || lo.signum() < 0) {
            BigInteger negHi = hi == null ? minusOne : hi.min(minusOne);
            if (lo == null || lo.compareTo(negHi) <= 0) {
                String mag = nonNegative(negHi.negate(), lo == null ? null : lo.negate());
                if (mag != null) {
                    alts.add("\"-\" (" + mag + ")");
                }
            }
        }
        if (hi == null || hi.signum() >= 0) {
            BigInteger a = lo == null ? BigInteger.ZERO : lo.max(BigInteger.ZERO);
            if (hi == null || a.compareTo(hi) <= 0) {
                String p = nonNegative(a, hi);
                if (p != null) {
                    alts.add(p);
                }
            }
        }
        return alts.isEmpty() ? null : String.join(" | ", alts);
    }

    /** Numerals of {@code [a, b]}, {@code a >= 0}, {@code b} null for unbounded. */
    static String nonNegative(BigInteger a, BigInteger b) {
        if (b != null && a.compareTo(b) > 0) {
            return null;
        }
        List<String> alts = new ArrayList<>();
        if (a.signum() == 0) {
            alts.add("\"0\"");
            a = BigInteger.ONE;
            if (b != null && b.signum() == 0) {
                return "\"0\"";
            }
        }
        String as = a.toString();
        int la = as.length();
        if (b == null) {
            alts.add(sameLength(as, "9".repeat(la)));
            alts.add("[1-9] [0-9]{" + la + ",}");
        } else {
            String bs = b.toString();
            int lb = bs.length();
            if (la == lb) {
                alts.add(sameLength(as, bs));
            } else {
                alts.add(sameLength(as, "9".repeat(la)));
                for (int len = la + 1; len < lb; len++) {
                    alts.add("[1-9] [0-9]{" + (len - 1) + "}");
                }
                alts.add(sameLength("1" + "0".repeat(lb - 1), bs));
            }
        }
        return String.join(" | ", alts);
    }

    /** Numerals from {@code lo} to {@code hi}, both of the same length. */
    private static String sameLength(String lo, String hi) {
        if (lo.isEmpty()) {
            return "\"\"";
        }
        char l = lo.charAt(0);
        char h = hi.charAt(0);
        String loRest = lo.substring(1);
        String hiRest = hi.substring(1);
        int rest = loRest.length();
        if (l == h) {
            return rest == 0 ? "\"" + l + "\"" : "\"" + l + "\" (" + sameLength(loRest, hiRest) + ")";
        }
        if (loRest.chars().allMatch(c -> c == '0') && hiRest.chars().allMatch(c -> c == '9')) {
            return digits(l, h) + anyDigits(rest);
        }
        List<String> alts = new ArrayList<>();
        alts.add("\"" + l + "\" (" + sameLength(loRest, "9".repeat(rest)) + ")");
        if (h - l > 1) {
            alts.add(digits((char) (l + 1), (char) (h - 1)) + anyDigits(rest));
        }
        alts.add("\"" + h + "\" (" + sameLength("0".repeat(rest), hiRest) + ")");
        return String.join(" | ", alts);
    }

    private static String digits(char lo, char hi) {
        return lo == hi ? "\"" + lo + "\"" : "[" + lo + "-" + hi + "]";
    }

    private static String anyDigits(int n) {
        return n == 0 ? "" : n == 1 ? " [0-9]" : " [0-9]{" + n + "}";
    }
}
