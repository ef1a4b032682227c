package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regular expression, optionally a validator (checksum) and optionally context words that must appear
 * shortly before the match. The finding's span is the named group {@code v} when present, else the match.
 */
final class PatternRecognizer implements Recognizer {
    private static final int CONTEXT_WINDOW = 40;

    private final String category;
    private final String name;
    private final Pattern pattern;
    private final Predicate<String> validator;
    private final Pattern context;
    private final double score;

    PatternRecognizer(String category, String name, String regex, Predicate<String> validator, String contextRegex, double score) {
        this.category = category;
        this.name = name;
        this.pattern = Pattern.compile(regex);
        this.validator = validator;
        this.context = contextRegex == null ? null : Pattern.compile(contextRegex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        this.score = score;
    }

    static PatternRecognizer of(String category, String name, String regex, double score) {
        return new PatternRecognizer(category, name, regex, null, null, score);
    }

    @Override
    public void find(String text, List<Finding> out) {
        Matcher m = pattern.matcher(text);
        boolean hasGroup = pattern.pattern().contains("(?<v>");
        while (m.find()) {
            int start = hasGroup ? m.start("v") : m.start();
            int end = hasGroup ? m.end("v") : m.end();
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
}
