package dev.llmplatform.rag;

/**
 * A passage of a source document, the unit that is embedded, indexed, retrieved and cited.
 *
 * @param documentId the source document
 * @param index      position of the chunk within its document (0-based)
 * @param start      character offset of the chunk's first character in the document
 * @param end        character offset one past its last character
 */
public record Chunk(String documentId, int index, String text, int start, int end) {
    public Chunk {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }
}
