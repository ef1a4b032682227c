package dev.llmplatform.structured.tools;

/**
 * How a model writes a tool call in its output. Each call is
 * {@code opener + {"name": "NAME", "ARGS_KEY": ARGUMENTS} + closer}, several calls joined by
 * {@code separator}. The text before the arguments is fixed, so a stream can be parsed incrementally.
 *
 * @param opener       what starts a call (empty for a bare JSON object)
 * @param closer       what ends a call after its JSON object
 * @param argumentsKey the member holding the arguments ({@code arguments}, or Llama 3's {@code parameters})
 * @param separator    between two calls; null when the syntax has room for one call only
 */
public record ToolCallSyntax(String name, String opener, String closer, String argumentsKey, String separator) {

    /**
     * Hermes / Qwen 2.5 style: {@code <tool_call>\n{"name": ..., "arguments": ...}\n</tool_call>}. Also
     * what the platform instructs models to write whose template knows no tools.
     */
    public static final ToolCallSyntax TAGGED = new ToolCallSyntax("tagged", "<tool_call>\n", "\n</tool_call>", "arguments", "\n");

    /** Llama 3.1 / 3.2 JSON tool calling: a bare {@code {"name": ..., "parameters": ...}} object. */
    public static final ToolCallSyntax LLAMA3_JSON = new ToolCallSyntax("llama3-json", "", "", "parameters", null);

    /** The syntax a chat template teaches its model, judged from the template's source. */
    public static ToolCallSyntax forTemplate(String templateSource) {
        if (templateSource.contains("<|python_tag|>") || templateSource.contains("\"parameters\": ")
                && templateSource.contains("ipython")) {
            return LLAMA3_JSON;
        }
        return TAGGED;
    }

    /** The fixed text in front of a call's name. */
    public String namePrefix() {
        return opener + "{\"name\": \"";
    }

    /** The fixed text between a call's name and its arguments. */
    public String argumentsPrefix() {
        return "\", \"" + argumentsKey + "\": ";
    }

    /** The fixed text after a call's arguments. */
    public String callSuffix() {
        return "}" + closer;
    }

    public boolean allowsParallel() {
        return separator != null;
    }
}
