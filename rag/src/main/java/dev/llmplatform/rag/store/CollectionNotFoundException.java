package dev.llmplatform.rag.store;

/** The named collection does not exist. */
public class CollectionNotFoundException extends RuntimeException {
    public CollectionNotFoundException(String name) {
        super("collection '" + name + "' does not exist");
    }
}
