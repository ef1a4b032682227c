package dev.llmplatform.guardrails.text;

import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The characters any match of a regular expression can begin with, stated next to the expression, so that a scan
 * tries the expression only where a match can begin. {@link Matcher#find()} attempts a match at every position of
 * the text, and each attempt (look-behinds, word boundaries, alternations) costs tens of nanoseconds even where the
 * first character already rules a match out; most rules need a digit or a capital to begin with, and an ordinary
 * 1 KB prompt has few of either. A {@link Scan} finds exactly what {@code find()} finds (the same matches in the
 * same order, with the same groups): it skips only positions whose character cannot begin a match, and matches at
 * the others with the whole text visible to look-behinds and word boundaries.
 *
 * <p>Only for expressions that never match the empty string. The sets are checked by tests against the plain
 * {@code find()} on the development sets (a set that leaves out a real first character loses findings).
 */
public final class FirstChars {
    /** Every position: the plain {@code find()}. */
    public static final FirstChars ANY = new FirstChars(-1L, -1L, true, 0L, 0L);

    /** Bit c of {@code low} (c &lt; 64) or of {@code high} (64 ≤ c &lt; 128): ASCII character c may begin a match. */
    private final long low;
    private final long high;
    /** Whether any character beyond ASCII may (it is then always tried). */
    private final boolean nonAscii;
    /** As {@code low} and {@code high}: ASCII characters after which no match begins (a negative look-behind). */
    private final long notAfterLow;
    private final long notAfterHigh;

    private FirstChars(long low, long high, boolean nonAscii, long notAfterLow, long notAfterHigh) {
        this.low = low;
        this.high = high;
        this.nonAscii = nonAscii;
        this.notAfterLow = notAfterLow;
        this.notAfterHigh = notAfterHigh;
    }

    /**
     * ASCII characters given as in a character class without brackets: single characters and ranges {@code a-z};
     * a literal '-' only first or last. E.g. {@code "0-9+("}: a digit, a plus or an opening parenthesis.
     */
    public static FirstChars ascii(String spec) {
        long[] bits = bits(spec);
        return new FirstChars(bits[0], bits[1], false, 0L, 0L);
    }

    /** These characters and every character beyond ASCII (for {@code \p{Lu}}, {@code \p{L}} and the like). */
    public FirstChars orNonAscii() {
        return new FirstChars(low, high, true, notAfterLow, notAfterHigh);
    }

    /**
     * No match begins right after one of these ASCII characters (given as for {@link #ascii}): for an expression
     * that begins with a negative look-behind such as {@code (?<![\w.+-])}, which then needs trying only at the
     * start of each run of such characters.
     */
    public FirstChars notAfter(String spec) {
        long[] bits = bits(spec);
        return new FirstChars(low, high, nonAscii, bits[0], bits[1]);
    }

    /**
     * No match begins right after an ASCII word character ({@code [A-Za-z0-9_]}): for an expression that begins
     * with {@code \\b} before a word character. Only for sets of ASCII word characters: between two of them there is
     * no word boundary under any reading of {@code \\b}; a character beyond ASCII may or may not be a word character,
     * so a set holding one (or anything else) is refused. Before a character beyond ASCII the expression is still tried.
     */
    public FirstChars atWordStart() {
        long[] word = bits("A-Za-z0-9_");
        if (nonAscii || (low & ~word[0]) != 0 || (high & ~word[1]) != 0) {
            throw new IllegalArgumentException("atWordStart() needs a set of ASCII word characters only");
        }
        return notAfter("A-Za-z0-9_");
    }

    private static long[] bits(String spec) {
        long low = 0;
        long high = 0;
        for (int i = 0; i < spec.length(); i++) {
            char from = spec.charAt(i);
            char to = from;
            if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                to = spec.charAt(i + 2);
                i += 2;
            }
            if (from >= 128 || to >= 128 || to < from) {
                throw new IllegalArgumentException("not an ASCII range in '" + spec + "': " + from + "-" + to);
            }
            for (char c = from; c <= to; c++) {
                if (c < 64) {
                    low |= 1L << c;
                } else {
                    high |= 1L << (c - 64);
                }
            }
        }
        return new long[] {low, high};
    }

    /** Whether a match may begin with {@code c}. */
    public boolean mayBegin(char c) {
        return c < 128 ? in(c, low, high) : nonAscii;
    }

    /** Whether a match may begin at {@code i} of {@code text}. */
    boolean mayBeginAt(String text, int i) {
        if (!mayBegin(text.charAt(i))) {
            return false;
        }
        char before = i > 0 ? text.charAt(i - 1) : 128;
        return before >= 128 || !in(before, notAfterLow, notAfterHigh);
    }

    private static boolean in(char c, long low, long high) {
        return c < 64 ? (low & (1L << c)) != 0 : (high & (1L << (c - 64))) != 0;
    }

    /** The matches of {@code pattern} in {@code text}, one {@link Scan#find()} at a time. */
    public Scan scan(Pattern pattern, String text) {
        return new Scan(pattern.matcher(text), text);
    }

    /** Like a {@link Matcher} used only through {@code find()}; after a successful {@link #find()}, {@link #match()} holds the match. */
    public final class Scan {
        private final Matcher matcher;
        private final String text;
        private int next;

        private Scan(Matcher matcher, String text) {
            this.matcher = matcher;
            this.text = text;
            // The region below moves the start of each attempt; look-behinds and \b must still see the text before it.
            matcher.useTransparentBounds(true).useAnchoringBounds(false);
        }

        /** The next match, as {@link Matcher#find()} would return it. */
        public boolean find() {
            if (FirstChars.this == ANY) {
                return matcher.find();
            }
            int n = text.length();
            for (int i = next; i < n; i++) {
                if (mayBeginAt(text, i)) {
                    matcher.region(i, n);
                    if (matcher.lookingAt()) {
                        // find() goes on where the match ended (one further after an empty match, which the sets exclude)
                        next = matcher.end() > i ? matcher.end() : i + 1;
                        return true;
                    }
                }
            }
            next = n;
            return false;
        }

        /** The last match found. */
        public MatchResult match() {
            return matcher;
        }
    }
}
