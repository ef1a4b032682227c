package dev.llmplatform.structured;

import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import dev.llmplatform.structured.schema.SchemaValidator;
import java.util.List;

/**
 * A JSON Schema ready for generation: its grammar (what decoding enforces), the validator that checks
 * the finished output (what the grammar cannot express, and output cut off before it could end), and
 * the keywords left to that check. Compiled leniently, as OpenAI's {@code response_format} and the CLI
 * need: unsupported keywords are reported, not refused.
 *
 * @param unenforced keywords the grammar does not enforce, with their JSON pointers
 */
public record JsonSchemaOutput(Grammar grammar, SchemaValidator validator, List<String> unenforced) {

    /**
     * @throws dev.llmplatform.structured.schema.SchemaCompileException when the schema is malformed
     *         (its problems name their JSON pointers)
     * @throws IllegalArgumentException when it is not JSON
     */
    public static JsonSchemaOutput compile(String schemaJson) {
        JsonSchemaCompiler.CompiledSchema compiled = JsonSchemaCompiler.compile(Json.parse(schemaJson), false);
        return new JsonSchemaOutput(Grammar.parse(compiled.gbnf()), new SchemaValidator(schemaJson),
                compiled.unenforced());
    }

    /** The violations of a finished output, empty when it is valid. */
    public List<String> violations(String output) {
        return validator.violations(output);
    }
}
