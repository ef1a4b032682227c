package dev.llmplatform.api.web;

import dev.llmplatform.api.serving.ServedModel;
import dev.llmplatform.engine.runtime.LogitsConstraint;
import dev.llmplatform.structured.JsonSchemaOutput;
import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import dev.llmplatform.structured.schema.SchemaCompileException;
import dev.llmplatform.structured.tools.ToolCallGrammar;
import dev.llmplatform.structured.tools.ToolCallSyntax;
import dev.llmplatform.structured.tools.ToolFunction;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What a request's output must look like — {@code response_format} (text, json_object, json_schema),
 * the {@code grammar} extension (GBNF), and tools — compiled into one grammar for the sampler (cached per
 * model by its source) and, for a JSON Schema, the validator that checks the finished answer.
 *
 * @param masker     the compiled constraint, or null for free text
 * @param schema     the response format's schema, checked after generation; null without one
 * @param unenforced keywords the grammar does not enforce (reported to the client)
 */
record OutputConstraints(TokenMasker masker, JsonSchemaOutput schema, List<String> unenforced) {
    static final OutputConstraints NONE = new OutputConstraints(null, null, List.of());

    LogitsConstraint newConstraint() {
        return masker == null ? null : masker.newConstraint();
    }

    /**
     * @param syntax    how tool calls are written, or null without tools
     * @param tools     the callable functions (empty without tools)
     */
    static OutputConstraints read(RequestReader r, ServedModel model, List<ToolFunction> tools, ToolCallGrammar.Mode mode,
                                  boolean parallel, ToolCallSyntax syntax) {
        JsonSchemaOutput schema = null;
        Grammar answer = null;
        String answerKey = null;
        List<String> unenforced = new ArrayList<>();
        JsonNode format = r.get("response_format");
        String grammar = r.string("grammar", null);
        if (format != null) {
            if (!format.isObject() || format.get("type") == null || !format.get("type").isString()) {
                throw ApiException.invalidRequest("'response_format' must be an object with a 'type'", "response_format");
            }
            switch (format.get("type").asString()) {
                case "text" -> {
                }
                case "json_object" -> {
                    answer = Grammar.parse(JsonSchemaCompiler.jsonObjectGrammar());
                    answerKey = "json_object";
                }
                case "json_schema" -> {
                    JsonNode spec = format.get("json_schema");
                    if (spec == null || !spec.isObject()) {
                        throw ApiException.invalidRequest("'response_format.json_schema' must be an object with a 'schema'",
                                "response_format.json_schema");
                    }
                    JsonNode s = spec.get("schema");
                    String text = s == null || s.isNull() ? "{}" : s.toString();
                    try {
                        schema = JsonSchemaOutput.compile(text);
                    } catch (SchemaCompileException e) {
                        throw ApiException.invalidRequest("Invalid schema for response_format: " + String.join("; ", e.problems()),
                                "response_format.json_schema.schema");
                    } catch (IllegalArgumentException e) {
                        throw ApiException.invalidRequest("Invalid schema for response_format: " + e.getMessage(),
                                "response_format.json_schema.schema");
                    }
                    boolean strict = spec.get("strict") != null && spec.get("strict").asBoolean(false);
                    if (strict && !schema.unenforced().isEmpty()) {
                        throw ApiException.invalidRequest("Invalid schema for response_format with strict: true: these keywords"
                                + " cannot be guaranteed while generating: " + String.join("; ", schema.unenforced())
                                + " (send strict: false to have them checked after generation)", "response_format.json_schema.schema");
                    }
                    unenforced.addAll(schema.unenforced());
                    answer = schema.grammar();
                    answerKey = "schema:" + text;
                }
                default -> throw ApiException.invalidRequest("'response_format.type' must be text, json_object or json_schema",
                        "response_format.type");
            }
        }
        if (grammar != null) {
            if (answer != null) {
                throw ApiException.invalidRequest("use either 'grammar' or a JSON 'response_format', not both", "grammar");
            }
            try {
                answer = Grammar.parse(grammar);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidRequest("invalid GBNF grammar: " + e.getMessage(), "grammar");
            }
            answerKey = "gbnf:" + grammar;
        }
        if (!tools.isEmpty()) {
            ToolCallGrammar.Built built;
            try {
                built = ToolCallGrammar.build(syntax, tools, mode, parallel, answer);
            } catch (SchemaCompileException e) {
                throw ApiException.invalidRequest("Invalid schema for a tool's parameters: " + String.join("; ", e.problems()), "tools");
            }
            unenforced.addAll(built.unenforced());
            String key = "tools:" + syntax.name() + ":" + mode + ":" + parallel + ":" + toolsKey(tools) + "|" + answerKey;
            return new OutputConstraints(compile(model, key, built.grammar()), schema, unenforced);
        }
        if (answer == null) {
            return NONE;
        }
        return new OutputConstraints(compile(model, answerKey, answer), schema, unenforced);
    }

    private static TokenMasker compile(ServedModel model, String key, Grammar grammar) {
        try {
            return model.constraint(key, () -> grammar);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("the output grammar cannot be compiled: " + e.getMessage(), "grammar");
        }
    }

    private static String toolsKey(List<ToolFunction> tools) {
        StringBuilder sb = new StringBuilder();
        for (ToolFunction f : tools) {
            sb.append(f.name()).append('=').append(Json.write(f.parameters())).append(';');
        }
        return sb.toString();
    }
}
