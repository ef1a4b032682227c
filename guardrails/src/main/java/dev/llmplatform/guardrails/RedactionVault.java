package dev.llmplatform.guardrails;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of one conversation: each distinct redacted value gets a typed, numbered placeholder
 * ({@code <EMAIL_1>}, {@code <EMAIL_2>}, {@code <PHONE_1>}), the same value always the same one, so the
 * model can still refer to "the first e-mail". The originals stay here, in memory, for restoring them in
 * the model's answer to the same caller; they are never audited.
 */
public final class RedactionVault {
    static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z][A-Z0-9_]*_\\d+)>");
    /** The longest placeholder the streaming rail must hold back while it may still be incomplete. */
    static final int MAX_PLACEHOLDER = 40;

    private final Map<String, String> placeholderByValue = new HashMap<>();
    private final Map<String, String> valueByPlaceholder = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /** Replaces the findings' spans by placeholders; overlapping findings merge into the first. */
    public String redact(String text, List<Finding> findings) {
        return redactRestoring(text, findings, s -> s);
    }

    /**
     * Like {@link #redact}, passing the text between findings through {@code between} (the output rail
     * restores the caller's placeholders there, while the placeholders it makes itself stay).
     */
    public synchronized String redactRestoring(String text, List<Finding> findings, java.util.function.UnaryOperator<String> between) {
        List<Finding> sorted = findings.stream().sorted(Comparator.comparingInt(Finding::start)).toList();
        StringBuilder out = new StringBuilder(text.length());
        int pos = 0;
        for (Finding f : sorted) {
            if (f.end() > text.length()) {
                throw new IllegalArgumentException("finding " + f + " extends past the text");
            }
            if (f.start() < pos) {
                continue;
            }
            out.append(between.apply(text.substring(pos, f.start()))).append(placeholderFor(f.category(), text.substring(f.start(), f.end())));
            pos = f.end();
        }
        return out.append(between.apply(text.substring(pos))).toString();
    }

    public synchronized String placeholderFor(String category, String value) {
        return placeholderByValue.computeIfAbsent(category + '\u0000' + value, k -> {
            String label = Category.placeholderLabel(category);
            int n = counters.merge(label, 1, Integer::sum);
            String p = "<" + label + "_" + n + ">";
            valueByPlaceholder.put(p, value);
            return p;
        });
    }

    /** Puts the original values back wherever the text carries one of this vault's placeholders. */
    public synchronized String restore(String text) {
        if (valueByPlaceholder.isEmpty() || text.indexOf('<') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String original = valueByPlaceholder.get(m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(original != null ? original : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    public synchronized int size() {
        return valueByPlaceholder.size();
    }
}
