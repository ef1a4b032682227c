package dev.llmplatform.rag.prompt;

import java.util.List;

/**
 * The conversation with the sources added, and the sources in the order they are numbered.
 *
 * @param contextTokens tokens the added instructions and sources cost (by the caller's counter)
 */
public record GroundedPrompt(List<ChatMessage> messages, List<Citation> citations, int contextTokens) {
}
