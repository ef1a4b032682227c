package dev.llmplatform.guardrails.pii;

import dev.llmplatform.guardrails.Finding;
import java.util.List;

/** One way of finding one kind of entity; {@link PiiDetector} runs many and resolves overlaps. */
interface Recognizer {
    /** Adds to {@code out} what it finds in {@code text}, whose words are {@code words}. */
    void find(String text, Words words, List<Finding> out);
}
