package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import dev.llmplatform.guardrails.text.FirstChars;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * A regular expression, optionally a validator (checksum) and optionally context words that must appear
 * shortly before the match. The finding's span is the named group {@code v} when present, else the match.
 * The characters a match can begin with ({@link FirstChars}) are stated with the expression: the scan tries it
 * only where one of them stands.
 */
final class PatternRecognizer implements Recognizer {
    private static final int CONTEXT_WINDOW = 40;

    private final String category;
    private final String name;
    private final Pattern pattern;
    private final FirstChars firstChars;
    private final boolean valueGroup;
    private final Predicate<String> validator;
    private final Pattern context;
    private final double score;

    PatternRecognizer(String category, String name, String regex, FirstChars firstChars, Predicate<String> validator, String contextRegex,
            double score) {
        this.category = category;
        this.name = name;
        this.pattern = Pattern.compile(regex);
        this.firstChars = firstChars;
        this.valueGroup = regex.contains("(?<v>");
        this.validator = validator;
        this.context = contextRegex == null ? null : Pattern.compile(contextRegex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.score = score;
    }

    static PatternRecognizer of(String category, String name, String regex, FirstChars firstChars, double score) {
        return new PatternRecognizer(category, name, regex, firstChars, null, null, score);
    }

    @Override
    public void find(String text, Words words, List<Finding> out) {
        find(text, firstChars, out);
    }

    /** As {@link #find(String, List)}, trying the expression where {@code firstChars} allow (tests: {@link FirstChars#ANY}). */
    void find(String text, FirstChars firstChars, List<Finding> out) {
        FirstChars.Scan scan = firstChars.scan(pattern, text);
        while (scan.find()) {
            MatchResult m = scan.match();
            int start = valueGroup ? m.start("v") : m.start();
            int end = valueGroup ? m.end("v") : m.end();
            if (start < 0 || end <= start) {
                continue;
            }
            String value = text.substring(start, end);
            if (validator != null && !validator.test(value)) {
                continue;
            }
            if (context != null) {
                String before = text.substring(Math.max(0, m.start() - CONTEXT_WINDOW), m.start()).toLowerCase(Locale.ROOT);
                if (!context.matcher(before).find()) {
                    continue;
                }
            }
            out.add(new Finding(category, start, end, score, "pii:" + name));
        }
    }

    Pattern pattern() {
        return pattern;
    }

    String name() {
        return name;
    }

    FirstChars firstChars() {
        return firstChars;
    }
}
