package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.util.ArrayList;
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
     * Static (tag-independent) features per token.
     *
     * @param rules  the rule findings over the text (their categories become features)
     * @param hidden tokens whose list memberships and rule findings are withheld (training only: teaches the
     *               tagger the contexts of names in no list); null for none
     */
    int[][] extract(String text, List<int[]> tokens, List<Finding> rules, boolean[] hidden) {
        int n = tokens.size();
        String[] words = new String[n];
        String[] lower = new String[n];
        String[] shapes = new String[n];
        String[][] lists = new String[n][];
        String[] ruleCats = new String[n];
        for (int i = 0; i < n; i++) {
            int[] t = tokens.get(i);
            words[i] = text.substring(t[0], t[1]);
            lower[i] = words[i].toLowerCase(Locale.ROOT);
            shapes[i] = shortShape(words[i]);
        }
        for (int i = 0; i < n; i++) {
            boolean hide = hidden != null && hidden[i];
            lists[i] = hide ? new String[0] : lists(lower, i);
            ruleCats[i] = hide ? null : ruleCategory(tokens.get(i), rules);
        }
        int[][] features = new int[n][];
        List<String> f = new ArrayList<>(64);
        for (int i = 0; i < n; i++) {
            f.clear();
            String w = words[i];
            f.add("b");
            f.add("w=" + lower[i]);
            f.add("s=" + shapes[i]);
            f.add("S=" + longShape(w));
            f.add("p2=" + prefix(lower[i], 2));
            f.add("p3=" + prefix(lower[i], 3));
            f.add("x2=" + suffix(lower[i], 2));
            f.add("x3=" + suffix(lower[i], 3));
            f.add("len=" + Math.min(w.length(), 12));
            if (i == 0 || isBreak(words[i - 1])) {
                f.add("start");
            }
            if (tokens.get(i)[0] > 0 && text.charAt(tokens.get(i)[0] - 1) == '\n') {
                f.add("line-start");
            }
            for (String l : lists[i]) {
                f.add("L=" + l);
            }
            if (ruleCats[i] != null) {
                f.add("r=" + ruleCats[i]);
                f.add("r=" + ruleCats[i] + "|s=" + shapes[i]);
            }
            for (int d = -2; d <= 2; d++) {
                if (d == 0) {
                    continue;
                }
                int j = i + d;
                String at = j < 0 ? "<s>" : j >= n ? "</s>" : lower[j];
                f.add("w" + d + "=" + at);
                f.add("s" + d + "=" + (j < 0 || j >= n ? at : shapes[j]));
                if (j >= 0 && j < n && Math.abs(d) == 1) {
                    for (String l : lists[j]) {
                        f.add("L" + d + "=" + l);
                    }
                    f.add("r" + d + "=" + ruleCats[j]);
                    f.add("x3" + d + "=" + suffix(lower[j], 3));
                }
            }
            f.add("w-1w=" + (i > 0 ? lower[i - 1] : "<s>") + "|" + lower[i]);
            f.add("ww+1=" + lower[i] + "|" + (i + 1 < n ? lower[i + 1] : "</s>"));
            f.add("w-2w-1=" + (i > 1 ? lower[i - 2] : "<s>") + "|" + (i > 0 ? lower[i - 1] : "<s>"));
            f.add("s-1ss+1=" + (i > 0 ? shapes[i - 1] : "<s>") + "|" + shapes[i] + "|" + (i + 1 < n ? shapes[i + 1] : "</s>"));
            int[] h = new int[f.size()];
            for (int k = 0; k < h.length; k++) {
                h[k] = hash(f.get(k));
            }
            features[i] = h;
        }
        return features;
    }

    /** Features of the tags already given to the previous two tokens, combined with the current word. */
    static int[] transitions(String prev, String prev2, String lowerWord, String shape) {
        return new int[] {hash("t-1=" + prev), hash("t-2t-1=" + prev2 + "|" + prev), hash("t-1w=" + prev + "|" + lowerWord),
                hash("t-1s=" + prev + "|" + shape)};
    }

    static int hash(String feature) {
        int h = feature.hashCode() * 0x9E3779B1;
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (BUCKETS - 1);
    }

    private String[] lists(String[] lower, int i) {
        String w = lower[i];
        List<String> in = new ArrayList<>(4);
        TaggerLexicon x = lexicon;
        if (x.givenNames().contains(w)) {
            in.add("given");
        }
        if (x.surnames().contains(w)) {
            in.add("surname");
        }
        if (x.places().contains(w) || x.countries().contains(w)) {
            in.add("place");
        }
        if (x.streetSuffixes().contains(w)) {
            in.add("street-suffix");
        }
        if (x.streetPrefixes().contains(w)) {
            in.add("street-prefix");
        }
        if (x.citySuffixes().contains(w) || x.cityPrefixes().contains(w)) {
            in.add("city-affix");
        }
        if (x.companySuffixes().contains(w)) {
            in.add("company-suffix");
        }
        if (x.jobHeads().contains(w)) {
            in.add("job");
        }
        if (x.jobModifiers().contains(w)) {
            in.add("job-modifier");
        }
        if (x.nationalities().contains(w)) {
            in.add("nationality");
        }
        if (x.commonWords().contains(w)) {
            in.add("common");
        }
        // Multi-word places ("new york", "rio de janeiro"): every token of the phrase.
        for (int len = 2; len <= 3; len++) {
            for (int s = Math.max(0, i - len + 1); s <= i && s + len <= lower.length; s++) {
                if (x.places().contains(String.join(" ", java.util.Arrays.copyOfRange(lower, s, s + len)))) {
                    in.add("place-phrase");
                    len = 4;
                    break;
                }
            }
        }
        return in.toArray(String[]::new);
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
        StringBuilder s = new StringBuilder();
        char last = 0;
        for (int i = 0; i < w.length(); i++) {
            char c = cls(w.charAt(i));
            if (c != last) {
                s.append(c);
                last = c;
            }
        }
        return s.toString();
    }

    /** Character classes, runs cut at four: "Jo" → "Xx", "Washington" → "Xxxxx", "1234567" → "dddd". */
    private static String longShape(String w) {
        StringBuilder s = new StringBuilder();
        char last = 0;
        int run = 0;
        for (int i = 0; i < w.length(); i++) {
            char c = cls(w.charAt(i));
            run = c == last ? run + 1 : 1;
            last = c;
            if (run <= 4) {
                s.append(c);
            }
        }
        return s.toString();
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

    private static String prefix(String w, int n) {
        return w.length() <= n ? w : w.substring(0, n);
    }

    private static String suffix(String w, int n) {
        return w.length() <= n ? w : w.substring(w.length() - n);
    }
}
