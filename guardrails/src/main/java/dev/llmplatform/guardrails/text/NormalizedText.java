package dev.llmplatform.guardrails.text;

import dev.llmplatform.guardrails.Finding;
import java.util.List;

/**
 * A text after normalisation, with what the normaliser found on the way (invisible characters,
 * mixed-script words). Findings are in the coordinates of {@link #text()}.
 */
public record NormalizedText(String text, List<Finding> findings) {
    public NormalizedText {
        findings = List.copyOf(findings);
    }
}
