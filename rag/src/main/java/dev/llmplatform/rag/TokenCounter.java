package dev.llmplatform.rag;

/**
 * Counts how many tokens a text costs in some model's vocabulary. The chunker sizes passages with the
 * embedding model's counter (so a chunk is never truncated when embedded); the prompt builder sizes the
 * context with the chat model's counter.
 */
@FunctionalInterface
public interface TokenCounter {
    /** Characters (UTF-16 units) as tokens: what the chunker used before it knew a tokenizer. */
    TokenCounter CHARACTERS = String::length;

    int count(String text);
}
