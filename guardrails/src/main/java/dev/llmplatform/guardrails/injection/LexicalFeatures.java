package dev.llmplatform.guardrails.injection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Hashed bag of lexical features: words, word pairs and character 3- to 5-grams of the lower-cased
 * words. Sentence embeddings blur the wording that gives many attacks away ("ignore the above", "vergiss
 * alles", "you are now ..."); these features keep it, in several languages, at a few microseconds per
 * text. Counts are square-rooted and the vector L2-normalised, so long texts do not dominate.
 */
public final class LexicalFeatures {
    /** Hash buckets: enough that collisions rarely matter for a few thousand training rows. */
    public static final int DEFAULT_DIMS = 4096;

    private LexicalFeatures() {
    }

    /** Sorted bucket indices and values for {@code text}; {@code dims} buckets. */
    public static FeatureVector of(float[] embedding, String text, int dims) {
        if (dims <= 0) {
            return new FeatureVector(embedding, new int[0], new float[0]);
        }
        List<String> words = words(text);
        int[] counts = new int[dims];
        Touched touched = new Touched();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            add(counts, touched, hash(WORD, word, 0, word.length()), dims);
            if (i + 1 < words.size()) {
                String next = words.get(i + 1);
                add(counts, touched, hash(31 * hash(PAIR, word, 0, word.length()) + ' ', next, 0, next.length()), dims);
            }
        }
        String joined = ' ' + String.join(" ", words) + ' ';
        for (int n = 3; n <= 5; n++) {
            int prefix = GRAM[n];
            for (int i = 0; i + n <= joined.length(); i++) {
                add(counts, touched, hash(prefix, joined, i, i + n), dims);
            }
        }
        int nonZero = touched.size;
        int[] index = Arrays.copyOf(touched.buckets, touched.size);
        Arrays.sort(index);
        float[] value = new float[nonZero];
        double norm = 0;
        for (int j = 0; j < index.length; j++) {
            value[j] = (float) Math.sqrt(counts[index[j]]);
            norm += value[j] * value[j];
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < value.length && norm > 0; j++) {
            value[j] /= (float) norm;
        }
        return new FeatureVector(embedding, index, value);
    }

    // A feature is the string "w:" + word, "b:" + word + ' ' + next word or "c" + n + ':' + n-gram; its bucket comes
    // from that string's hashCode, computed here by continuing the prefix's hash over the characters (the same
    // polynomial String.hashCode evaluates), so that no feature string is built: these were most of what a
    // check of the injection classifier allocated.
    private static final int WORD = "w:".hashCode();
    private static final int PAIR = "b:".hashCode();
    private static final int[] GRAM = {0, 0, 0, "c3:".hashCode(), "c4:".hashCode(), "c5:".hashCode()};

    /** {@code (prefix string + s.substring(from, to)).hashCode()} for a prefix of hash {@code h}. */
    static int hash(int h, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    /** Buckets in the order they were first touched. */
    private static final class Touched {
        int[] buckets = new int[256];
        int size;
    }

    private static void add(int[] counts, Touched touched, int hash, int dims) {
        int b = bucket(hash, dims);
        if (counts[b]++ == 0) {
            if (touched.size == touched.buckets.length) {
                touched.buckets = Arrays.copyOf(touched.buckets, 2 * touched.size);
            }
            touched.buckets[touched.size++] = b;
        }
    }

    /** String.hashCode is fixed by the language specification, so buckets are stable across JVMs; mixed for spread. */
    static int bucket(String feature, int dims) {
        return bucket(feature.hashCode(), dims);
    }

    /** {@link #bucket(String, int)} of a feature whose hashCode is {@code h}. */
    static int bucket(int h, int dims) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, dims);
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < lower.length()) {
            int c = lower.codePointAt(i);
            if (!Character.isLetterOrDigit(c)) {
                i += Character.charCount(c);
                continue;
            }
            int s = i;
            while (i < lower.length() && Character.isLetterOrDigit(lower.codePointAt(i))) {
                i += Character.charCount(lower.codePointAt(i));
            }
            words.add(lower.substring(s, i));
        }
        return words;
    }
}
