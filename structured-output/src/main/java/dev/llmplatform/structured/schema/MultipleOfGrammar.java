package dev.llmplatform.structured.schema;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * GBNF for the decimal numerals that are multiples of {@code m = p / 10^s}: a numeral {@code I.F} is a
 * multiple iff it has at most {@code s} significant fraction digits and the digit string {@code IF}
 * (F padded with zeros to {@code s} digits) is divisible by {@code p}; divisibility is tracked digit by
 * digit as a remainder mod {@code p} (a finite automaton, one rule per remainder and position).
 * Written without exponent.
 */
final class MultipleOfGrammar {
    private static final int MAX_STATES = 20_000;

    private MultipleOfGrammar() {
    }

    /**
     * Rules as lines {@code suffix ::= body}, where {@code @} stands for the name prefix chosen by the
     * caller and the first line (empty suffix) is the start rule (value followed by {@code space});
     * null if the automaton would be too large.
     */
    static String rule(BigDecimal m, boolean integerOnly) {
        if (m.signum() <= 0) {
            return null;
        }
        BigDecimal stripped = m.stripTrailingZeros();
        int s = Math.max(0, stripped.scale());
        BigInteger pBig = stripped.movePointRight(s).toBigIntegerExact();
        if (integerOnly && s > 0) {
            // integers that are multiples of p/10^s: multiples of p / gcd(p, 10^s)
            BigInteger ten = BigInteger.TEN.pow(s);
            pBig = pBig.divide(pBig.gcd(ten));
            s = 0;
        }
        if (pBig.bitLength() > 31 || pBig.intValueExact() * (long) (s + 2) > MAX_STATES) {
            return null;
        }
        int p = pBig.intValueExact();
        StringBuilder out = new StringBuilder();
        // start: optional minus, then "0" or a non-zero first digit
        StringBuilder start = new StringBuilder("\"-\"? (\"0\" @-i0-end");
        for (int d = 1; d <= 9; d++) {
            start.append(" | \"").append(d).append("\" @-i").append(d % p);
        }
        start.append(") space");
        out.append(" ::= ").append(start).append('\n');
        // integer part, remainder r: more digits, or end here
        for (int r = 0; r < p; r++) {
            StringBuilder b = new StringBuilder();
            for (int d = 0; d <= 9; d++) {
                b.append("\"").append(d).append("\" @-i").append((10 * r + d) % p).append(" | ");
            }
            b.append("@-i").append(r).append("-end");
            out.append("-i").append(r).append(" ::= ").append(b).append('\n');
            out.append("-i").append(r).append("-end ::= ").append(integerEnd(r, p, s, integerOnly)).append('\n');
        }
        // fraction digits: j digits read, remainder r
        for (int j = 1; j <= s; j++) {
            for (int r = 0; r < p; r++) {
                StringBuilder b = new StringBuilder();
                if (j < s) {
                    for (int d = 0; d <= 9; d++) {
                        b.append("\"").append(d).append("\" @-f").append(j + 1).append("-").append((10 * r + d) % p)
                                .append(" | ");
                    }
                } else {
                    b.append("\"0\" @-f").append(j).append("-").append(r).append(" | ");
                }
                boolean ok = BigInteger.valueOf(r).multiply(BigInteger.TEN.pow(s - j)).mod(BigInteger.valueOf(p))
                        .signum() == 0;
                b.append(ok ? "\"\"" : "[^\\x00-\\U0010FFFF]");
                out.append("-f").append(j).append("-").append(r).append(" ::= ").append(b).append('\n');
            }
        }
        return out.toString();
    }

    private static String integerEnd(int r, int p, int s, boolean integerOnly) {
        boolean multiple = BigInteger.valueOf(r).multiply(BigInteger.TEN.pow(s)).mod(BigInteger.valueOf(p)).signum() == 0;
        StringBuilder b = new StringBuilder(multiple ? "\"\"" : "[^\\x00-\\U0010FFFF]");
        if (s == 0) {
            if (multiple) {
                b.append(" | \".\" \"0\"+");
            }
        } else if (!integerOnly) {
            b.append(" | \".\" (");
            for (int d = 0; d <= 9; d++) {
                if (d > 0) {
                    b.append(" | ");
                }
                b.append("\"").append(d).append("\" @-f1-").append((10 * r + d) % p);
            }
            b.append(")");
        }
        return b.toString();
    }
}
