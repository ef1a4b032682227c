package dev.llmplatform.api.cli;

import dev.llmplatform.engine.runtime.LogitsConstraint;
import dev.llmplatform.engine.tokenizer.Tokenizer;
import dev.llmplatform.structured.StructuredOutput;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the output constraint of {@code llmp generate} from its --json-schema / --grammar / --json-mode options. */
final class StructuredConstraints {
    private StructuredConstraints() {
    }

    /** The constraint the options ask for, or null for none; notes keywords left unenforced on {@code err}. */
    static LogitsConstraint fromOptions(Path jsonSchema, Path grammar, boolean jsonMode, Tokenizer tokenizer,
            PrintWriter err) {
        if (jsonSchema == null && grammar == null && !jsonMode) {
            return null;
        }
        TokenVocabulary vocab = TokenVocabulary.of(tokenizer);
        if (jsonMode) {
            return StructuredOutput.forJsonMode(vocab).newConstraint();
        }
        if (grammar != null) {
            return StructuredOutput.forGbnf(read(grammar, "--grammar"), vocab).newConstraint();
        }
        JsonSchemaCompiler.CompiledSchema compiled = JsonSchemaCompiler.compile(
                Json.parse(read(jsonSchema, "--json-schema")), false);
        if (!compiled.unenforced().isEmpty()) {
            err.println("llmp: note: not enforced while generating (check the output): "
                    + String.join("; ", compiled.unenforced()));
        }
        return StructuredOutput.forGbnf(compiled.gbnf(), vocab).newConstraint();
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
