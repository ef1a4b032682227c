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
        int nonZero = 0;
        List<Integer> touched = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            nonZero += add(counts, touched, "w:" + words.get(i), dims);
            if (i + 1 < words.size()) {
                nonZero += add(counts, touched, "b:" + words.get(i) + ' ' + words.get(i + 1), dims);
            }
        }
        String joined = ' ' + String.join(" ", words) + ' ';
        for (int n = 3; n <= 5; n++) {
            for (int i = 0; i + n <= joined.length(); i++) {
                nonZero += add(counts, touched, "c" + n + ':' + joined.substring(i, i + n), dims);
            }
        }
        int[] index = touched.stream().mapToInt(Integer::intValue).toArray();
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

    /** Returns 1 when the bucket was empty before. */
    private static int add(int[] counts, List<Integer> touched, String feature, int dims) {
        int b = bucket(feature, dims);
        if (counts[b]++ == 0) {
            touched.add(b);
            return 1;
        }
        return 0;
    }

    /** String.hashCode is fixed by the language specification, so buckets are stable across JVMs; mixed for spread. */
    static int bucket(String feature, int dims) {
        int h = feature.hashCode();
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
