package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Capitalised words (or phrases of up to {@code maxWords}) found in a word list, e.g. country names.
 * Lists are resources under {@code dev/llmplatform/guardrails/pii/}, one entry per line.
 */
final class DictionaryRecognizer implements Recognizer {

    /**
     * A listed phrase of several words ("New Mexico", "Viet Nam", "Bank of America") is stronger evidence than
     * the person rule's two capitalised words around a listed name (0.85), so it wins over it.
     */
    static final double PHRASE_SCORE = 0.86;

    private final String category;
    private final String name;
    private final Set<String> entries;
    private final int maxWords;
    private final double score;

    DictionaryRecognizer(String category, String name, Set<String> entries, double score) {
        this.category = category;
        this.name = name;
        this.entries = entries;
        this.maxWords = entries.stream().mapToInt(e -> e.split(" ").length).max().orElse(1);
        this.score = score;
    }

    static Set<String> load(String resource) {
        Set<String> words = new HashSet<>();
        try (InputStream in = DictionaryRecognizer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        for (int i = 0; i < words.size(); i++) {
            int[] w = words.get(i);
            if (!Character.isUpperCase(text.charAt(w[0]))) {
                continue;
            }
            // Longest phrase first, so "South Africa" wins over "South".
            for (int n = Math.min(maxWords, words.size() - i); n >= 1; n--) {
                int end = words.get(i + n - 1)[1];
                // one word holds no whitespace: its phrase is the word lower-cased
                String phrase = n == 1 ? words.lower(i) : phrase(text, w[0], end);
                if (entries.contains(phrase)) {
                    out.add(new Finding(category, w[0], end, n > 1 ? Math.max(score, PHRASE_SCORE) : score, "pii:" + name));
                    i += n - 1;
                    break;
                }
            }
        }
    }

    /**
     * {@code text[start, end)} with every run of whitespace one space, lower-cased: what replacing the regex
     * {@code \s+} ({@code [ \t\n\x0B\f\r]}) by a space did, without a matcher and two strings per candidate phrase.
     */
    static String phrase(String text, int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        boolean inSpace = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
            if (!space) {
                sb.append(c);
            } else if (!inSpace) {
                sb.append(' ');
            }
            inSpace = space;
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
