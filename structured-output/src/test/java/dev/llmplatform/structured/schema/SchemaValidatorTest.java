package dev.llmplatform.structured.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    private final SchemaValidator validator = new SchemaValidator(
            "{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"uniqueItems\":true}},\"required\":[\"tags\"]}");

    @Test
    void acceptsValidOutput() {
        assertThat(validator.violations("{\"tags\":[\"a\",\"b\"]}")).isEmpty();
    }

    @Test
    void reportsWhatTheGrammarCannotEnforce() {
        assertThat(validator.violations("{\"tags\":[\"a\",\"a\"]}")).singleElement().asString().contains("unique");
    }

    @Test
    void truncatedOutputIsAViolation() {
        assertThat(validator.violations("{\"tags\":[\"a\"")).isNotEmpty();
    }
}
