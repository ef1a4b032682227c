package dev.llmplatform.api.bench;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Varied English prompts of a chosen length, one per request. Each starts with its request number and
 * continues with words drawn from a fixed list by a generator seeded from the request number, so prompts
 * differ from their first tokens on (no prefix cache can make the run trivial) and a run is repeatable.
 */
public final class BenchmarkPrompts {
    /** How the number of words for a prompt of about P tokens was found. */
    public enum Sizing {
        /** Measured with the server's own tokenizer ({@code POST /tokenize}). */
        TOKENIZE_ENDPOINT("calibrated with the server's /tokenize"),
        /** The usual ratio for English text with BPE vocabularies: about 0.75 words per token. */
        ESTIMATE("estimated at 0.75 words per token; the server has no /tokenize");

        private final String description;

        Sizing(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * The plan for every prompt of a run.
     *
     * @param promptTokens   the length asked for
     * @param words          words drawn per prompt (besides the fixed opening and closing)
     * @param tokensPerWord  measured or assumed tokens per drawn word
     * @param overheadTokens tokens of the fixed opening and closing
     */
    public record Plan(int promptTokens, int words, double tokensPerWord, int overheadTokens, Sizing sizing) {}

    static final double WORDS_PER_TOKEN_ESTIMATE = 0.75;
    /** Drawn words in the calibration prompt: enough that one odd word barely moves the ratio. */
    public static final int CALIBRATION_WORDS = 400;

    // Common words of several kinds, so the text tokenizes like ordinary prose rather than like one
    // repeated token; the list only has to stay fixed for runs to be repeatable.
    private static final List<String> WORDS = List.of(
            "the", "river", "morning", "quietly", "village", "across", "mountain", "winter", "letter", "garden",
            "window", "carried", "between", "children", "market", "bright", "old", "stone", "bridge", "evening",
            "walked", "forest", "through", "silver", "harbor", "ships", "waited", "under", "summer", "rain",
            "teacher", "opened", "small", "wooden", "door", "kitchen", "bread", "warm", "table", "family",
            "remembered", "story", "grandmother", "told", "long", "ago", "before", "railway", "arrived", "town",
            "engineer", "measured", "distance", "north", "valley", "farmers", "planted", "wheat", "careful", "rows",
            "library", "shelves", "held", "thousands", "books", "about", "history", "science", "music", "travel",
            "painter", "mixed", "colors", "blue", "green", "yellow", "canvas", "light", "shadow", "afternoon",
            "train", "station", "clock", "struck", "seven", "passengers", "hurried", "along", "platform", "while",
            "snow", "covered", "roofs", "chimney", "smoke", "rose", "slowly", "into", "clear", "sky",
            "fisherman", "mended", "nets", "near", "lighthouse", "waves", "against", "rocks", "sound", "wind",
            "doctor", "visited", "every", "house", "road", "lantern", "night", "owl", "called", "from",
            "orchard", "apples", "fell", "grass", "baskets", "filled", "cider", "autumn", "festival", "square",
            "musicians", "played", "violin", "drum", "dancers", "turned", "circle", "laughter", "echoed", "streets",
            "builder", "raised", "walls", "brick", "mortar", "scaffold", "workers", "lunch", "shade", "tree",
            "student", "wrote", "notes", "neat", "handwriting", "exam", "questions", "answers", "paper", "ink",
            "island", "beach", "sand", "shells", "tide", "returned", "boats", "sails", "horizon", "gulls");

    private static final String CLOSING = "Continue this story in plain prose for as long as you can.";

    private final long seed;

    public BenchmarkPrompts(long seed) {
        this.seed = seed;
    }

    /** Sizes prompts by the rule of thumb, for servers without a tokenizer endpoint. */
    public static Plan estimate(int promptTokens) {
        double tokensPerWord = 1 / WORDS_PER_TOKEN_ESTIMATE;
        int overheadTokens = (int) Math.round(wordCount(opening(0) + " " + CLOSING) * tokensPerWord);
        return plan(promptTokens, tokensPerWord, overheadTokens, Sizing.ESTIMATE);
    }

    /**
     * Sizes prompts from the server's token counts of {@link #prompt prompt(0, 0)} (the fixed opening and
     * closing alone) and of {@code prompt(0, CALIBRATION_WORDS)}: their difference gives tokens per drawn word.
     */
    public static Plan calibrated(int promptTokens, int overheadTokens, int calibrationTokens) {
        double tokensPerWord = Math.max(calibrationTokens - overheadTokens, 1) / (double) CALIBRATION_WORDS;
        return plan(promptTokens, tokensPerWord, overheadTokens, Sizing.TOKENIZE_ENDPOINT);
    }

    private static Plan plan(int promptTokens, double tokensPerWord, int overheadTokens, Sizing sizing) {
        int words = (int) Math.max(1, Math.round((promptTokens - overheadTokens) / tokensPerWord));
        return new Plan(promptTokens, words, tokensPerWord, overheadTokens, sizing);
    }

    /** The prompt of request {@code request} (0-based) with {@code words} drawn words. */
    public String prompt(int request, int words) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + request);
        StringBuilder text = new StringBuilder(opening(request));
        int sentenceLeft = 0;
        for (int i = 0; i < words; i++) {
            if (sentenceLeft == 0) {
                if (i > 0) {
                    text.append('.');
                }
                sentenceLeft = 6 + random.nextInt(9);
                String word = WORDS.get(random.nextInt(WORDS.size()));
                text.append(' ').append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            } else {
                text.append(' ').append(WORDS.get(random.nextInt(WORDS.size())));
            }
            sentenceLeft--;
        }
        if (words > 0) {
            text.append('.');
        }
        return text.append(' ').append(CLOSING).toString();
    }

    private static String opening(int request) {
        return "Request " + (request + 1) + ".";
    }

    private static int wordCount(String s) {
        return s.strip().split("\\s+").length;
    }
}
