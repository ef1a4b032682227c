package dev.llmplatform.structured;

import dev.llmplatform.structured.gbnf.GbnfWriter;
import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.CompiledGrammar;
import dev.llmplatform.structured.matcher.GrammarCompiler;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.regex.RegexParser;
import dev.llmplatform.structured.schema.JsonSchemaCompiler;

/**
 * Entry points: compile a GBNF grammar, a JSON Schema, JSON mode or a regex for a vocabulary, then
 * call {@link TokenMasker#newConstraint()} for each sequence to get the engine's
 * {@link dev.llmplatform.engine.runtime.LogitsConstraint}. A {@link TokenMasker} is thread-safe and
 * caches masks, so compile once per (grammar, vocabulary) and share it.
 */
public final class StructuredOutput {
    private StructuredOutput() {
    }

    public static CompiledGrammar compileGbnf(String gbnf) {
        return GrammarCompiler.compile(Grammar.parse(gbnf));
    }

    public static TokenMasker forGbnf(String gbnf, TokenVocabulary vocab) {
        return new TokenMasker(compileGbnf(gbnf), vocab);
    }

    /** A grammar built in code (e.g. {@link JsonSchemaOutput#grammar()} or a tool-call grammar). */
    public static TokenMasker forGrammar(Grammar grammar, TokenVocabulary vocab) {
        return new TokenMasker(GrammarCompiler.compile(grammar), vocab);
    }

    /** Strict: unsupported keywords raise {@link dev.llmplatform.structured.schema.SchemaCompileException}. */
    public static TokenMasker forJsonSchema(String schemaJson, TokenVocabulary vocab) {
        return forGbnf(JsonSchemaCompiler.compile(schemaJson).gbnf(), vocab);
    }

    /** Any JSON object (OpenAI {@code response_format: {"type": "json_object"}}). */
    public static TokenMasker forJsonMode(TokenVocabulary vocab) {
        return forGbnf(JsonSchemaCompiler.jsonObjectGrammar(), vocab);
    }

    /** Output matching {@code regex} in full. */
    public static TokenMasker forRegex(String regex, TokenVocabulary vocab) {
        String body = new GbnfWriter(GbnfWriter.Mode.RAW).write(RegexParser.parseFull(regex));
        return forGbnf("root ::= " + body + "\n", vocab);
    }

    /** GBNF for a JSON Schema given as parsed JSON; see {@link JsonSchemaCompiler}. */
    public static JsonSchemaCompiler.CompiledSchema schemaToGbnf(String schemaJson, boolean strict) {
        return JsonSchemaCompiler.compile(Json.parse(schemaJson), strict);
    }
}
