package dev.llmplatform.api.registry;

/** A name that is not in the registry. */
public final class UnknownModelException extends IllegalArgumentException {
    private final String name;

    public UnknownModelException(String name, String message) {
        super(message);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
