package dev.llmplatform.structured.schema;

import dev.llmplatform.structured.json.Json.JsonNumber;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules for numbers and integers: {@code minimum}/{@code maximum}/{@code exclusive*} (exact for
 * integers and for integer-valued bounds on numbers, numerals without exponent), {@code multipleOf}
 * (a divisibility automaton, or the multiples listed when both bounds are given and they are few),
 * {@code multipleOf} 1 as "integer". What cannot be enforced exactly is added to {@code unenforced}.
 */
final class NumberRules {
    private static final String NEVER = GrammarRules.NEVER;
    private final GrammarRules rules;
    private final Set<String> unenforced;

    NumberRules(GrammarRules rules, Set<String> unenforced) {
        this.rules = rules;
        this.unenforced = unenforced;
    }

    String numberRule(Map<String, Object> m, boolean integer, String path, Set<String> negatedValues) {
        TreeSet<BigDecimal> excluded = new TreeSet<>();
        for (String v : negatedValues) {
            if (!v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-')) {
                BigDecimal d = new BigDecimal(v);
                if (isInteger(d)) {
                    excluded.add(d);
                } else if (!integer) {
                    unenforced.add(path + ": 'not' {enum/const} with non-integer numbers");
                }
            }
        }
        if (!excluded.isEmpty()) {
            return between(m, integer, path, excluded);
        }
        BigDecimal min = dec(m.get("minimum"));
        BigDecimal max = dec(m.get("maximum"));
        BigDecimal exMin = dec(m.get("exclusiveMinimum"));
        BigDecimal exMax = dec(m.get("exclusiveMaximum"));
        // draft 4: exclusiveMinimum/Maximum are booleans modifying minimum/maximum
        if (Boolean.TRUE.equals(m.get("exclusiveMinimum")) && min != null) {
            exMin = min;
            min = null;
        }
        if (Boolean.TRUE.equals(m.get("exclusiveMaximum")) && max != null) {
            exMax = max;
            max = null;
        }
        rules.primitive("space");
        BigDecimal multipleOf = dec(m.get("multipleOf"));
        // A declared integer is generated as digits only; a number that must be whole may also be written
        // "7.0", as serialisers of floating-point values do.
        boolean zeroFraction = !integer;
        if (multipleOf != null && multipleOf.signum() > 0 && isInteger(multipleOf) && multipleOf.intValueExact() == 1) {
            integer = true; // multiples of 1 are exactly the integers
            multipleOf = null;
        }
        if (multipleOf != null) {
            if (min != null || max != null || exMin != null || exMax != null) {
                String values = boundedMultiples(multipleOf, integer, min, exMin, max, exMax);
                if (values != null) {
                    return values.equals(NEVER) ? NEVER : rules.define("multiples-" + multipleOf.toPlainString().replace('.', '_'),
                            values);
                }
                unenforced.add(path + ": multipleOf together with minimum/maximum");
            } else {
                String rule = MultipleOfGrammar.rule(multipleOf, integer);
                if (rule == null) {
                    unenforced.add(path + ": multipleOf " + multipleOf.toPlainString() + " (automaton too large)");
                    return rules.primitive(integer ? "integer" : "number");
                }
                String name = "multiple-of-" + multipleOf.toPlainString().replace('.', '_') + (integer ? "-int" : "");
                if (!rules.containsKey(name)) {
                    for (String line : rule.split("\n")) {
                        int eq = line.indexOf(" ::= ");
                        rules.put(name + line.substring(0, eq), line.substring(eq + 5).replace("@", name));
                    }
                }
                return name;
            }
        }
        if (min == null && max == null && exMin == null && exMax == null) {
            return rules.primitive(integer ? "integer" : "number");
        }
        if (integer) {
            BigInteger lo = null;
            BigInteger hi = null;
            if (min != null) {
                lo = min.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
            }
            if (exMin != null) {
                BigInteger e = exMin.setScale(0, RoundingMode.FLOOR).toBigIntegerExact().add(BigInteger.ONE);
                lo = lo == null ? e : lo.max(e);
            }
            if (max != null) {
                hi = max.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            }
            if (exMax != null) {
                BigInteger e = exMax.setScale(0, RoundingMode.CEILING).toBigIntegerExact().subtract(BigInteger.ONE);
                hi = hi == null ? e : hi.min(e);
            }
            String body = IntegerRanges.range(lo, hi);
            if (body == null) {
                return NEVER;
            }
            // at most one zero fraction, never a run of zeros: an unbounded run would let a model stall
            return rules.define((zeroFraction ? "whole-" : "integer-") + (lo == null ? "" : lo) + "-" + (hi == null ? "" : hi),
                    "(" + body + ")" + (zeroFraction ? " (\".0\")?" : "") + " space");
        }
        // numbers: exact for integer-valued bounds, written without exponent
        BigDecimal lo = min != null ? min : exMin;
        boolean loExcl = min == null && exMin != null;
        if (min != null && exMin != null && exMin.compareTo(min) >= 0) {
            lo = exMin;
            loExcl = true;
        }
        BigDecimal hi = max != null ? max : exMax;
        boolean hiExcl = max == null && exMax != null;
        if (max != null && exMax != null && exMax.compareTo(max) <= 0) {
            hi = exMax;
            hiExcl = true;
        }
        if ((lo != null && !isInteger(lo)) || (hi != null && !isInteger(hi))) {
            unenforced.add(path + ": non-integer number bound");
            return rules.primitive("number");
        }
        BigInteger l = lo == null ? null : lo.toBigIntegerExact();
        BigInteger h = hi == null ? null : hi.toBigIntegerExact();
        List<String> alts = new ArrayList<>();
        String pos = nonNegativeDecimals(l, loExcl, h, hiExcl);
        if (pos != null) {
            alts.add(pos);
        }
        String negative = nonNegativeDecimals(h == null ? null : h.negate(), hiExcl, l == null ? null : l.negate(), loExcl);
        if (negative != null) {
            alts.add("\"-\" (" + negative + ")");
        }
        if (alts.isEmpty()) {
            return NEVER;
        }
        return rules.define("number-" + (lo == null ? "" : lo.toPlainString()) + "-" + (hi == null ? "" : hi.toPlainString()),
                "(" + String.join(" | ", alts) + ") space");
    }

    /** Most values {@link #boundedMultiples} lists. */
    private static final int MAX_LISTED_MULTIPLES = 1024;

    /**
     * The multiples of {@code step} between two bounds, listed (each as its shortest numeral), when there
     * are at most {@link #MAX_LISTED_MULTIPLES}; NEVER if none, null
     * if a bound is missing or there are too many.
     */
    String boundedMultiples(BigDecimal step, boolean integer, BigDecimal min, BigDecimal exMin, BigDecimal max,
            BigDecimal exMax) {
        BigDecimal lo = min != null ? min : exMin;
        BigDecimal hi = max != null ? max : exMax;
        if (lo == null || hi == null || step.signum() <= 0) {
            return null;
        }
        if (min != null && exMin != null && exMin.compareTo(min) > 0) {
            lo = exMin;
        }
        if (max != null && exMax != null && exMax.compareTo(max) < 0) {
            hi = exMax;
        }
        BigDecimal unit = integer ? lcmWithOne(step) : step;
        BigInteger first = lo.divide(unit, 0, RoundingMode.CEILING).toBigInteger();
        BigInteger last = hi.divide(unit, 0, RoundingMode.FLOOR).toBigInteger();
        if (last.subtract(first).compareTo(BigInteger.valueOf(MAX_LISTED_MULTIPLES)) >= 0) {
            return null;
        }
        List<String> alts = new ArrayList<>();
        for (BigInteger k = first; k.compareTo(last) <= 0; k = k.add(BigInteger.ONE)) {
            BigDecimal v = unit.multiply(new BigDecimal(k));
            if ((min != null && v.compareTo(min) < 0) || (exMin != null && v.compareTo(exMin) <= 0)
                    || (max != null && v.compareTo(max) > 0) || (exMax != null && v.compareTo(exMax) >= 0)) {
                continue;
            }
            BigDecimal plain = v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
            String text = plain.toPlainString();
            // shortest form (a whole number of a "number" may add ".0"): a run of trailing zeros would let
            // a model stall
            alts.add(plain.scale() <= 0 && !integer ? "\"" + text + "\" (\".0\")?" : "\"" + text + "\"");
        }
        rules.primitive("space");
        return alts.isEmpty() ? NEVER : "(" + String.join(" | ", alts) + ") space";
    }

    /** The least common multiple of {@code step} and 1 (integers that are multiples of step). */
    private static BigDecimal lcmWithOne(BigDecimal step) {
        BigDecimal s = step.stripTrailingZeros();
        if (s.scale() <= 0) {
            return s;
        }
        BigInteger num = s.unscaledValue();
        BigInteger den = BigInteger.TEN.pow(s.scale());
        BigInteger g = num.gcd(den);
        return new BigDecimal(num.divide(g)); // lcm(num/den, 1) = num / gcd(num, den)
    }

    /**
     * Numerals {@code I(.F)?} of values {@code x >= 0} with {@code lo <(=) x <(=) hi} (integer bounds,
     * null = unbounded); null if none.
     */
    static String nonNegativeDecimals(BigInteger lo, boolean loExcl, BigInteger hi, boolean hiExcl) {
        BigInteger lowI = lo == null || lo.signum() < 0 || (lo.signum() == 0 && !loExcl) ? BigInteger.ZERO
                : loExcl ? lo.add(BigInteger.ONE) : lo;
        if (lo != null && lo.signum() < 0) {
            lowI = BigInteger.ZERO;
        }
        List<String> alts = new ArrayList<>();
        String frac = "(\".\" [0-9]+)?";
        // integer part strictly below hi: any fraction
        BigInteger highI = hi == null ? null : hi.subtract(BigInteger.ONE);
        if (highI == null || highI.compareTo(lowI) >= 0) {
            String ints = IntegerRanges.nonNegative(lowI, highI);
            if (ints != null) {
                alts.add("(" + ints + ") " + frac);
            }
        }
        // exactly hi (fraction of zeros) when inclusive
        if (hi != null && !hiExcl && hi.signum() >= 0 && (lo == null || hi.compareTo(lo) > 0 || (!loExcl && hi.equals(lo)))
                && hi.compareTo(lowI) >= 0) {
            alts.add("\"" + hi + "\" (\".\" \"0\"+)?");
        }
        // exactly lo with a non-zero fraction when exclusive
        if (lo != null && loExcl && lo.signum() >= 0 && (hi == null || lo.compareTo(hi) < 0)) {
            alts.add("\"" + lo + "\" \".\" [0-9]* [1-9] [0-9]*");
        }
        return alts.isEmpty() ? null : String.join(" | ", alts);
    }

    private static boolean isInteger(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    private static BigDecimal dec(Object o) {
        return o instanceof JsonNumber n ? n.value() : null;
    }

    /**
     * Numbers other than the {@code excluded} integers, as the union of the open intervals between them,
     * each an ordinary bounded number rule.
     */
    private String between(Map<String, Object> m, boolean integer, String path, TreeSet<BigDecimal> excluded) {
        if (excluded.size() > 16 || m.get("exclusiveMinimum") instanceof Boolean || m.get("exclusiveMaximum") instanceof Boolean) {
            unenforced.add(path + ": 'not' {enum/const} with numbers");
            return numberRule(m, integer, path, Set.of());
        }
        List<String> alts = new ArrayList<>();
        BigDecimal below = null;
        for (BigDecimal above : excluded) {
            addInterval(m, integer, path, below, above, alts);
            below = above;
        }
        addInterval(m, integer, path, below, null, alts);
        return alts.isEmpty() ? NEVER : alts.size() == 1 ? alts.getFirst()
                : rules.define(path + "-number-not", String.join(" | ", alts));
    }

    private void addInterval(Map<String, Object> m, boolean integer, String path, BigDecimal lo, BigDecimal hi,
            List<String> alts) {
        Map<String, Object> interval = new LinkedHashMap<>(m);
        BigDecimal exMin = dec(m.get("exclusiveMinimum"));
        BigDecimal exMax = dec(m.get("exclusiveMaximum"));
        if (lo != null && (exMin == null || lo.compareTo(exMin) > 0)) {
            interval.put("exclusiveMinimum", new JsonNumber(lo.toPlainString()));
        }
        if (hi != null && (exMax == null || hi.compareTo(exMax) < 0)) {
            interval.put("exclusiveMaximum", new JsonNumber(hi.toPlainString()));
        }
        String rule = numberRule(interval, integer, path, Set.of());
        if (!rule.equals(NEVER) && !alts.contains(rule)) {
            alts.add(rule);
        }
    }

    /** The integers between the schema's bounds if both are given and at most {@code limit} apart; else null. */
    static List<Object> smallIntegerRange(Map<String, Object> m, int limit) {
        BigDecimal lo = dec(m.get("minimum"));
        BigDecimal hi = dec(m.get("maximum"));
        BigDecimal exLo = dec(m.get("exclusiveMinimum"));
        BigDecimal exHi = dec(m.get("exclusiveMaximum"));
        if (exLo != null) {
            BigDecimal above = exLo.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE);
            lo = lo == null ? above : lo.max(above);
        }
        if (exHi != null) {
            BigDecimal below = exHi.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE);
            hi = hi == null ? below : hi.min(below);
        }
        if (lo == null || hi == null) {
            return null;
        }
        BigDecimal first = lo.setScale(0, RoundingMode.CEILING);
        BigDecimal last = hi.setScale(0, RoundingMode.FLOOR);
        if (last.subtract(first).compareTo(BigDecimal.valueOf(limit)) > 0) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (BigDecimal v = first; v.compareTo(last) <= 0; v = v.add(BigDecimal.ONE)) {
            out.add(new JsonNumber(v.toPlainString()));
        }
        return out;
    }

    /** Largest merged multipleOf (as an integer over its power of ten) whose automaton we build. */
    private static final int MAX_MERGED_MULTIPLE = 1000;

    /**
     * A multiple of both a and b is a multiple of their least common multiple: with both written as
     * integers over one power of ten, the lcm of the integers over that power. Null if not numbers.
     */
    static JsonNumber leastCommonMultiple(Object a, Object b) {
        if (!(a instanceof JsonNumber x) || !(b instanceof JsonNumber y) || x.value().signum() <= 0
                || y.value().signum() <= 0) {
            return null;
        }
        int scale = Math.max(Math.max(x.value().scale(), y.value().scale()), 0);
        if (scale > 12) {
            return null;
        }
        BigInteger p = x.value().movePointRight(scale).toBigIntegerExact();
        BigInteger q = y.value().movePointRight(scale).toBigIntegerExact();
        BigInteger lcm = p.divide(p.gcd(q)).multiply(q);
        if (lcm.compareTo(BigInteger.valueOf(MAX_MERGED_MULTIPLE)) > 0) {
            return null; // its divisibility automaton would be large; reported instead
        }
        return new JsonNumber(new BigDecimal(lcm).movePointLeft(scale).stripTrailingZeros().toPlainString());
    }

    static Integer intValue(Object o) {
        if (o instanceof JsonNumber n) {
            BigDecimal v = n.value();
            if (v.compareTo(BigDecimal.valueOf(100_000)) > 0) {
                return null; // so large it does not constrain generation in practice
            }
            return v.setScale(0, RoundingMode.CEILING).intValue();
        }
        return null;
    }

}
