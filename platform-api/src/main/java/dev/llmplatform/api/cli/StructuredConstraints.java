package dev.llmplatform.api.cli;

import dev.llmplatform.engine.runtime.LogitsConstraint;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.structured.JsonSchemaOutput;
import dev.llmplatform.structured.StructuredOutput;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.schema.SchemaValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the output constraint (and schema check) of {@code llmp generate} from its --json-schema / --grammar / --json-mode options. */
final class StructuredConstraints {
    private StructuredConstraints() {
    }

    /**
     * What the options ask for: the constraint to decode under and, for a JSON Schema, the validator
     * that checks the finished output (both built from one read of the file, before generation starts).
     *
     * @param validator null unless {@code --json-schema} was given
     */
    record Structured(LogitsConstraint constraint, SchemaValidator validator) {
    }

    /** The structure the options ask for, or null for none; notes keywords left unenforced on {@code err}. */
    static Structured fromOptions(Path jsonSchema, Path grammar, boolean jsonMode, Tokenizer tokenizer,
            PrintWriter err) {
        if (jsonSchema == null && grammar == null && !jsonMode) {
            return null;
        }
        TokenVocabulary vocab = TokenVocabulary.of(tokenizer);
        if (jsonMode) {
            return new Structured(StructuredOutput.forJsonMode(vocab).newConstraint(), null);
        }
        if (grammar != null) {
            return new Structured(StructuredOutput.forGbnf(read(grammar, "--grammar"), vocab).newConstraint(), null);
        }
        JsonSchemaOutput schema = JsonSchemaOutput.compile(read(jsonSchema, "--json-schema"));
        if (!schema.unenforced().isEmpty()) {
            err.println("llmp: note: not enforced while generating (checked after): "
                    + String.join("; ", schema.unenforced()));
        }
        return new Structured(StructuredOutput.forGrammar(schema.grammar(), vocab).newConstraint(), schema.validator());
    }

    private static String read(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(option + " " + file + ": " + e.getMessage(), e);
        }
    }
}
