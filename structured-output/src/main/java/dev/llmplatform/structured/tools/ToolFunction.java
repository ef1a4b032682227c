package dev.llmplatform.structured.tools;

import java.util.Map;

/**
 * A function the model may call, as OpenAI's {@code tools[].function} describes it.
 *
 * @param parameters its arguments' JSON Schema (parsed JSON); an empty map allows any object
 */
public record ToolFunction(String name, String description, Map<String, Object> parameters) {
    public ToolFunction {
        if (name == null || !name.matches("[a-zA-Z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("function name must be 1-64 of a-z, A-Z, 0-9, '_', '.', '-', got '" + name + "'");
        }
        parameters = parameters == null ? Map.of("type", "object") : parameters;
    }
}
