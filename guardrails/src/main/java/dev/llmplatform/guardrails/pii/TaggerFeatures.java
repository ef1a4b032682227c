package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Locale;

/**
 * Features of each token for {@link PiiTagger}, hashed into {@link #BUCKETS} buckets: the lower-cased word,
 * its shape ({@code Xxxx}, {@code dd-dd}), prefixes and suffixes, membership of the word lists of
 * {@link TaggerLexicon}, the rules' own findings over the token, and the same for the neighbouring words
 * (two either side). The hash is {@link String#hashCode} mixed, so buckets are the same in every JVM.
 */
final class TaggerFeatures {
    static final int BUCKETS = 1 << 18;

    private final TaggerLexicon lexicon;

    TaggerFeatures(TaggerLexicon lexicon) {
        this.lexicon = lexicon;
    }

    /**
     * The tokens' hashed static features, the lower-cased words and shapes the transition features reuse, and
     * which tokens start a new line (only an address continues over a line break).
     */
    record Tokens(int[] features, int[] featureStarts, String[] lower, String[] shapes, boolean[] afterLineBreak) {
        int count() {
            return lower.length;
        }

        /** Where token {@code i}'s features begin in {@link #features} ({@code i == count()}: where they end). */
        int featuresFrom(int i) {
            return featureStarts[i];
        }

        int feature(int f) {
            return features[f];
        }

        /** Token {@code i}'s features (a copy). */
        int[] featuresOf(int i) {
            return java.util.Arrays.copyOfRange(features, featureStarts[i], featureStarts[i + 1]);
        }
    }

    /**
     * Static (tag-independent) features per token. Each is hashed from its name and value(s) without building
     * the joined string (this runs on every prompt).
     *
     * @param rules  the rule findings over the text (their categories become features)
     * @param hidden tokens whose list memberships and rule findings are withheld (training only: teaches the
     *               tagger the contexts of names in no list); null for none
     */
    Tokens extract(String text, List<int[]> tokens, List<Finding> rules, boolean[] hidden) {
        int n = tokens.size();
        String[] lower = new String[n];
        String[] shapes = new String[n];
        String[][] lists = new String[n][];
        String[] ruleCats = new String[n];
        char[] shape = new char[64];
        for (int i = 0; i < n; i++) {
            int[] t = tokens.get(i);
            lower[i] = text.substring(t[0], t[1]).toLowerCase(Locale.ROOT);
            shapes[i] = shortShape(text, t[0], t[1], shape);
        }
        String[] found = new String[LIST_NAMES];
        for (int i = 0; i < n; i++) {
            boolean hide = hidden != null && hidden[i];
            int listed = hide ? 0 : lists(lower, i, Character.isUpperCase(text.charAt(tokens.get(i)[0])), found);
            lists[i] = listed == 0 ? NONE : java.util.Arrays.copyOf(found, listed);
            ruleCats[i] = hide ? null : ruleCategory(tokens.get(i), rules);
        }
        // All tokens' features in one array, token i's from featureStarts[i]: about 25 a token, grown when a text
        // has more; the most one token has is well under 96.
        int[] f = new int[96 + 28 * n];
        int[] featureStarts = new int[n + 1];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (f.length - k < 96) {
                f = java.util.Arrays.copyOf(f, f.length + f.length / 2);
            }
            featureStarts[i] = k;
            int[] t = tokens.get(i);
            String w = lower[i];
            f[k++] = hash("b");
            f[k++] = hash("w=", w);
            f[k++] = hash("s=", shapes[i]);
            f[k++] = mix(LONG_SHAPE_SEED + longShapeHash(text, t[0], t[1]));
            f[k++] = hash("p3=", w, 0, Math.min(3, w.length()));
            f[k++] = hash("x2=", w, Math.max(0, w.length() - 2), w.length());
            f[k++] = hash("x3=", w, Math.max(0, w.length() - 3), w.length());
            if (i == 0 || isBreak(lower[i - 1])) {
                f[k++] = hash("start");
            }
            if (t[0] > 0 && text.charAt(t[0] - 1) == '\n') {
                f[k++] = hash("line-start");
            }
            for (String l : lists[i]) {
                f[k++] = hash("L=", l);
            }
            if (ruleCats[i] != null) {
                f[k++] = hash("r=", ruleCats[i]);
                f[k++] = hash("r=s=", ruleCats[i], shapes[i]);
            }
            for (int d = -2; d <= 2; d++) {
                if (d == 0) {
                    continue;
                }
                int j = i + d;
                String at = j < 0 ? "<s>" : j >= n ? "</s>" : lower[j];
                f[k++] = hash(WORD_AT[d + 2], at);
                f[k++] = hash(SHAPE_AT[d + 2], j < 0 || j >= n ? at : shapes[j]);
                if (j >= 0 && j < n && (d == -1 || d == 1)) {
                    for (String l : lists[j]) {
                        f[k++] = hash(LIST_AT[d + 2], l);
                    }
                    f[k++] = hash(RULE_AT[d + 2], String.valueOf(ruleCats[j]));
                }
            }
            f[k++] = hash("w-1w=", i > 0 ? lower[i - 1] : "<s>", w);
            f[k++] = hash("ww+1=", w, i + 1 < n ? lower[i + 1] : "</s>");
            f[k++] = mix((SHAPE_TRIGRAM_SEED + (i > 0 ? shapes[i - 1] : "<s>").hashCode()) * 0x01000193
                    + joinedHash(shapes[i], '|', i + 1 < n ? shapes[i + 1] : "</s>"));
        }
        featureStarts[n] = k;
        boolean[] afterLineBreak = new boolean[n];
        for (int i = 1; i < n; i++) {
            afterLineBreak[i] = text.indexOf('\n', tokens.get(i - 1)[1], tokens.get(i)[0]) >= 0;
        }
        return new Tokens(f, featureStarts, lower, shapes, afterLineBreak);
    }

    private static final String[] NONE = new String[0];
    /** The part of {@code hash("S=", longShape)} before the shape's own hash. */
    private static final int LONG_SHAPE_SEED = "S=".hashCode() * 0x01000193;
    /** The part of {@code hash("s-1ss+1=", a, b)} before {@code a}'s hash. */
    private static final int SHAPE_TRIGRAM_SEED = "s-1ss+1=".hashCode() * 0x01000193;
    private static final String[] WORD_AT = {"w-2=", "w-1=", "", "w+1=", "w+2="};
    private static final String[] SHAPE_AT = {"s-2=", "s-1=", "", "s+1=", "s+2="};
    private static final String[] LIST_AT = {"", "L-1=", "", "L+1=", ""};
    private static final String[] RULE_AT = {"", "r-1=", "", "r+1=", ""};

    /** Features of the previous token's tag: alone, with the current word, with the current shape. */
    static int[] transitions(String prev, String lowerWord, String shape) {
        return new int[] {hash("t-1=", prev), hash("t-1w=", prev, lowerWord), hash("t-1s=", prev, shape)};
    }

    /**
     * The buckets of {@link #transitions} for every previous tag, with the tag part of each hash computed once:
     * the decoder asks for them for every tag at every token.
     */
    static final class TransitionHashes {
        private final int[] prior;
        private final int[] wordSeed;
        private final int[] shapeSeed;

        /** Index 0 is the start of the text ({@code previous} -1), then the tags. */
        TransitionHashes(String[] tags) {
            prior = new int[tags.length + 1];
            wordSeed = new int[tags.length + 1];
            shapeSeed = new int[tags.length + 1];
            for (int p = -1; p < tags.length; p++) {
                String prev = p < 0 ? PiiTagger.START : tags[p];
                prior[p + 1] = hash("t-1=", prev);
                wordSeed[p + 1] = seed("t-1w=", prev);
                shapeSeed[p + 1] = seed("t-1s=", prev);
            }
        }

        int prior(int previous) {
            return prior[previous + 1];
        }

        int withWord(int previous, String lowerWord) {
            return mix(wordSeed[previous + 1] + lowerWord.hashCode());
        }

        int withShape(int previous, String shape) {
            return mix(shapeSeed[previous + 1] + shape.hashCode());
        }
    }

    /** The part of {@link #hash(String, String, String)} before its last value. */
    private static int seed(String name, String a) {
        return (name.hashCode() * 0x01000193 + a.hashCode()) * 0x01000193;
    }

    static int hash(String name) {
        return mix(name.hashCode());
    }

    static int hash(String name, String value) {
        return mix(name.hashCode() * 0x01000193 + value.hashCode());
    }

    /** {@code hash(name, value.substring(from, to))} without the substring (the same hash: String's own formula). */
    static int hash(String name, String value, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + value.charAt(i);
        }
        return mix(name.hashCode() * 0x01000193 + h);
    }

    static int hash(String name, String a, String b) {
        return mix((name.hashCode() * 0x01000193 + a.hashCode()) * 0x01000193 + b.hashCode());
    }

    /** {@code (a + sep + b).hashCode()} without building the string (String's own formula, continued over the characters). */
    static int joinedHash(String a, char sep, String b) {
        int h = 31 * a.hashCode() + sep;
        for (int i = 0; i < b.length(); i++) {
            h = 31 * h + b.charAt(i);
        }
        return h;
    }

    /** String hash codes are the same in every JVM; the mix spreads them over the buckets. */
    private static int mix(int h) {
        h *= 0x9E3779B1;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (BUCKETS - 1);
    }

    /** How many list names {@link #lists} can report for one token (one per list, one phrase). */
    private static final int LIST_NAMES = 14;

    /** Writes the names of the word lists token {@code i} is in to {@code in} (room for {@link #LIST_NAMES}); returns how many. */
    private int lists(String[] lower, int i, boolean capitalised, String[] in) {
        String w = lower[i];
        int count = 0;
        TaggerLexicon x = lexicon;
        if (x.givenNames().contains(w)) {
            in[count++] = "given";
        }
        if (x.surnames().contains(w)) {
            in[count++] = "surname";
        }
        if (x.places().contains(w) || x.countries().contains(w)) {
            in[count++] = "place";
        }
        if (x.streetSuffixes().contains(w)) {
            in[count++] = "street-suffix";
        }
        if (x.streetPrefixes().contains(w)) {
            in[count++] = "street-prefix";
        }
        if (x.citySuffixes().contains(w) || x.cityPrefixes().contains(w)) {
            in[count++] = "city-affix";
        }
        if (x.companySuffixes().contains(w)) {
            in[count++] = "company-suffix";
        }
        if (x.jobHeads().contains(w)) {
            in[count++] = "job";
        }
        if (x.jobModifiers().contains(w)) {
            in[count++] = "job-modifier";
        }
        if (x.nationalities().contains(w)) {
            in[count++] = "nationality";
        }
        if (x.organizations().contains(w)) {
            in[count++] = "org";
        }
        if (x.organizationHeads().contains(w)) {
            in[count++] = "org-head";
        }
        if (x.commonWords().contains(w)) {
            in[count++] = "common";
        }
        // Multi-word places ("new york", "rio de janeiro") and organisations ("bank of america"): every
        // capitalised token of the phrase.
        for (int len = 2; capitalised && len <= 3; len++) {
            for (int s = Math.max(0, i - len + 1); s <= i && s + len <= lower.length; s++) {
                String phrase = len == 2 ? lower[s] + " " + lower[s + 1] : lower[s] + " " + lower[s + 1] + " " + lower[s + 2];
                if (x.places().contains(phrase)) {
                    in[count++] = "place-phrase";
                    len = 4;
                    break;
                }
                if (x.organizations().contains(phrase)) {
                    in[count++] = "org-phrase";
                    len = 4;
                    break;
                }
            }
        }
        return count;
    }

    private static String ruleCategory(int[] token, List<Finding> rules) {
        String best = null;
        double score = -1;
        for (Finding f : rules) {
            if (f.start() < token[1] && token[0] < f.end() && f.score() > score) {
                best = f.category();
                score = f.score();
            }
        }
        return best;
    }

    private static boolean isBreak(String previous) {
        return previous.equals(".") || previous.equals("!") || previous.equals("?") || previous.equals(":") || previous.equals("\"");
    }

    /** Character classes with runs collapsed: "Smith" → "Xx", "555-1234" → "d-d". */
    static String shortShape(String w) {
        return shortShape(w, 0, w.length(), new char[w.length()]);
    }

    /**
     * {@link #shortShape(String)} of {@code text[from, to)}, built in {@code scratch} (grown when too short); the
     * shapes of one or two letter/digit classes, most tokens', are shared strings.
     */
    private static String shortShape(String text, int from, int to, char[] scratch) {
        char[] s = scratch.length >= to - from ? scratch : new char[to - from];
        int length = 0;
        char last = 0;
        for (int i = from; i < to; i++) {
            char c = cls(text.charAt(i));
            if (c != last) {
                s[length++] = c;
                last = c;
            }
        }
        if (length == 1 && s[0] < COMMON_SHAPES.length) {
            return COMMON_SHAPES[s[0]];
        }
        if (length == 2) {
            int a = CLASS_INDEX.indexOf(s[0]);
            int b = CLASS_INDEX.indexOf(s[1]);
            if (a >= 0 && b >= 0) {
                return CLASS_PAIRS[3 * a + b];
            }
        }
        return new String(s, 0, length);
    }

    /** The one-character shapes, by their character (ASCII). */
    private static final String[] COMMON_SHAPES = new String[128];
    /** The letter and digit classes, and the two-character shapes made of them ({@code 3 * first + second}). */
    private static final String CLASS_INDEX = "Xxd";
    private static final String[] CLASS_PAIRS = new String[9];

    static {
        for (char c = 0; c < COMMON_SHAPES.length; c++) {
            COMMON_SHAPES[c] = String.valueOf(c);
        }
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                CLASS_PAIRS[3 * a + b] = "" + CLASS_INDEX.charAt(a) + CLASS_INDEX.charAt(b);
            }
        }
    }

    /** Character classes, runs cut at four: "Jo" → "Xx", "Washington" → "Xxxxx", "1234567" → "dddd". */
    static String longShape(String text, int from, int to) {
        StringBuilder s = new StringBuilder();
        char last = 0;
        int run = 0;
        for (int i = from; i < to; i++) {
            char c = cls(text.charAt(i));
            run = c == last ? run + 1 : 1;
            last = c;
            if (run <= 4) {
                s.append(c);
            }
        }
        return s.toString();
    }

    /** {@code longShape(text, from, to).hashCode()} without building the string. */
    static int longShapeHash(String text, int from, int to) {
        int h = 0;
        char last = 0;
        int run = 0;
        for (int i = from; i < to; i++) {
            char c = cls(text.charAt(i));
            run = c == last ? run + 1 : 1;
            last = c;
            if (run <= 4) {
                h = 31 * h + c;
            }
        }
        return h;
    }

    private static char cls(char c) {
        if (Character.isUpperCase(c)) {
            return 'X';
        }
        if (Character.isLetter(c)) {
            return 'x';
        }
        if (Character.isDigit(c)) {
            return 'd';
        }
        return c;
    }

}
