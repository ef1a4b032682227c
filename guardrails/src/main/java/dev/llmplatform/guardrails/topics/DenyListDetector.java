package dev.llmplatform.guardrails.topics;

import dev.llmplatform.guardrails.Category;
import dev.llmplatform.guardrails.Detector;
import dev.llmplatform.guardrails.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whole words or phrases from a list, case-insensitive (e.g. a profanity list). */
public final class DenyListDetector implements Detector {
    private final Pattern pattern;

    public DenyListDetector(Collection<String> terms) {
        List<String> quoted = terms.stream().map(String::strip).filter(t -> !t.isEmpty() && !t.startsWith("#"))
                .sorted((a, b) -> b.length() - a.length()) // longest first, so phrases win over their words
                .map(t -> Pattern.quote(t.toLowerCase(Locale.ROOT))).toList();
        this.pattern = quoted.isEmpty() ? null
                : Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", quoted) + ")(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** One term per line; blank lines and {@code #} comments are skipped. */
    public static List<String> readTerms(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Override
    public List<Finding> detect(String text) {
        List<Finding> found = new ArrayList<>();
        if (pattern == null) {
            return found;
        }
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(new Finding(Category.DENY_LIST, m.start(), m.end(), 1.0, "deny-list"));
        }
        return found;
    }
}
