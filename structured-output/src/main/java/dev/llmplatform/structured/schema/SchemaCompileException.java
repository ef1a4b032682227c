package dev.llmplatform.structured.schema;

import java.util.List;

/** A JSON Schema that cannot be turned into a grammar; lists every offending keyword with its location. */
public final class SchemaCompileException extends IllegalArgumentException {
    private final List<String> problems;

    public SchemaCompileException(List<String> problems) {
        super("JSON Schema not supported: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
