package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.util.List;

/** One way of finding one kind of entity; {@link PiiDetector} runs many and resolves overlaps. */
interface Recognizer {
    void find(String text, List<Finding> out);
}
