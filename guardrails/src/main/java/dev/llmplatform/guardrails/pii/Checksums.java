package dev.llmplatform.guardrails.pii;

import java.math.BigInteger;

/** Check digits and structural validity of identifiers; a candidate that fails is not a finding. */
public final class Checksums {
    private Checksums() {
    }

    /** The Luhn (mod 10) check of payment card numbers; separators are skipped. */
    public static boolean luhn(CharSequence digitsWithSeparators) {
        int sum = 0;
        int digits = 0;
        boolean doubleIt = false;
        for (int i = digitsWithSeparators.length() - 1; i >= 0; i--) {
            char c = digitsWithSeparators.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
            doubleIt = !doubleIt;
        }
        return digits > 0 && sum % 10 == 0;
    }

    /** ISO 13616 IBAN check: move the first four characters to the end, letters to numbers, mod 97 == 1. */
    public static boolean ibanMod97(CharSequence ibanWithSpaces) {
        StringBuilder compact = new StringBuilder();
        for (int i = 0; i < ibanWithSpaces.length(); i++) {
            char c = ibanWithSpaces.charAt(i);
            if (c != ' ' && c != '-') {
                compact.append(Character.toUpperCase(c));
            }
        }
        if (compact.length() < 15 || compact.length() > 34) {
            return false;
        }
        String rearranged = compact.substring(4) + compact.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                numeric.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                numeric.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /** US SSN structure: area not 000, 666 or 9xx; group not 00; serial not 0000. */
    public static boolean ssn(CharSequence text) {
        String d = text.toString().replaceAll("\\D", "");
        if (d.length() != 9) {
            return false;
        }
        int area = Integer.parseInt(d.substring(0, 3));
        return area != 0 && area != 666 && area < 900 && !d.startsWith("00", 3) && !d.endsWith("0000");
    }

    /** Four dot-separated decimal octets, each 0..255 without leading zeros. */
    public static boolean ipv4(CharSequence text) {
        String[] parts = text.toString().split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Eight hex groups, or fewer with exactly one {@code ::}. */
    public static boolean ipv6(CharSequence text) {
        String s = text.toString();
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int nonEmpty = 0;
        for (String g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return false;
            }
            nonEmpty++;
        }
        return doubleColon >= 0 ? nonEmpty < 8 && nonEmpty >= 1 : groups.length == 8;
    }
}
