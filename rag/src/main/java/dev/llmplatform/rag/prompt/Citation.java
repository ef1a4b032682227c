package dev.llmplatform.rag.prompt;

/**
 * A numbered source given to the model; {@code [index]} in the answer refers to it.
 *
 * @param page  1-based page for paged formats, else null
 * @param score the retrieval score of the passage
 * @param text  the passage exactly as placed in the prompt (possibly shortened to fit the budget)
 */
public record Citation(int index, String documentId, String title, String source, Integer page, double score,
                       String text) {
}
