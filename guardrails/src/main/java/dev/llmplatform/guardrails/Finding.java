package dev.llmplatform.guardrails;

/**
 * Something a detector found in a text.
 *
 * @param category what it is, e.g. {@code EMAIL_ADDRESS}, {@code CREDIT_CARD}, {@code PROMPT_INJECTION}
 * @param start    offset of the first character (inclusive)
 * @param end      offset one past the last character
 * @param score    confidence in [0, 1]
 * @param detector which detector (and rule) found it, for the audit trail
 */
public record Finding(String category, int start, int end, double score, String detector) {
    public Finding {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
        if (score < 0 || score > 1) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
        if (category == null || category.isBlank()) {
            throw new IllegalArgumentException("a finding needs a category");
        }
        detector = detector == null ? "" : detector;
    }

    public Finding(String category, int start, int end, double score) {
        this(category, start, end, score, "");
    }

    public boolean overlaps(Finding other) {
        return start < other.end && other.start < end;
    }

    public Finding shifted(int offset) {
        return new Finding(category, start + offset, end + offset, score, detector);
    }
}
