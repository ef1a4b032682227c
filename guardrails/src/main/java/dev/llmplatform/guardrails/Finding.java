package dev.llmplatform.guardrails;

/**
 * Something a detector found in a text.
 *
 * @param category what it is, e.g. {@code EMAIL_ADDRESS}, {@code CREDIT_CARD}, {@code PROMPT_INJECTION}
 * @param start    offset of the first character (inclusive)
 * @param end      offset one past the last character
 * @param score    confidence in [0, 1]
 */
public record Finding(String category, int start, int end, double score) {
    public Finding {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
        if (score < 0 || score > 1) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
    }
}
