package dev.llmplatform.structured.schema;

/** Compiles a subschema to a rule reference (or {@link GrammarRules#NEVER}); how emitters recurse. */
@FunctionalInterface
interface SchemaVisitor {
    String visit(Object schema, String path);
}
