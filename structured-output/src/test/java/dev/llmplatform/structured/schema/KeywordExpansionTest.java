package dev.llmplatform.structured.schema;

import static dev.llmplatform.structured.schema.JsonSchemaCompilerTest.agrees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.structured.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keywords enforced by translating them into what the grammar already checks: {@code propertyNames}
 * (key regexes in the key automaton), {@code if/then/else} (anyOf of "if and then" / "not if and else"),
 * {@code contains} (counted items), {@code uniqueItems} (used values as rule states). Strict compilation
 * succeeds and the grammar accepts exactly what the reference validator (networknt) does.
 */
class KeywordExpansionTest {

    @Test
    void propertyNamesPatternsLengthsAndValues() {
        agrees("{\"type\":\"object\",\"propertyNames\":{\"pattern\":\"^[a-z]+$\",\"maxLength\":3}}",
                List.of("{}", "{\"ab\":1}", "{\"abc\":1,\"x\":[]}", "{\"abcd\":1}", "{\"A\":1}", "{\"\":1}"));
        agrees("{\"properties\":{\"id\":{\"type\":\"integer\"},\"Bad\":{}},\"propertyNames\":{\"pattern\":\"^[a-z]\"}}",
                List.of("{\"id\":1}", "{\"id\":\"x\"}", "{\"Bad\":1}", "{\"ok\":true}", "{\"id\":2,\"zz\":null}"));
        agrees("{\"propertyNames\":{\"enum\":[\"a\",\"b.c\"]},\"additionalProperties\":{\"type\":\"integer\"}}",
                List.of("{}", "{\"a\":1}", "{\"b.c\":2}", "{\"bxc\":2}", "{\"a\":\"s\"}", "{\"c\":1}", "3"));
        agrees("{\"type\":\"object\",\"propertyNames\":{\"not\":{\"pattern\":\"a\"}}}",
                List.of("{}", "{\"xyz\":1}", "{\"bar\":1}", "{\"q\":1,\"ab\":2}"));
        agrees("{\"type\":\"object\",\"propertyNames\":{\"not\":{\"enum\":[\"1\",\"3\"]},\"minLength\":1}}",
                List.of("{\"1\":0}", "{\"2\":0}", "{\"13\":0}", "{\"\":0}", "{\"3\":0}"));
        agrees("{\"patternProperties\":{\"^x\":{\"type\":\"string\"}},\"propertyNames\":{\"maxLength\":2},"
                + "\"additionalProperties\":false}",
                List.of("{\"xa\":\"s\"}", "{\"xab\":\"s\"}", "{\"xa\":1}", "{\"y\":\"s\"}"));
        agrees("{\"propertyNames\":false}", List.of("{}", "{\"a\":1}", "[]"));
    }

    @Test
    void requiredNameFailingPropertyNamesAdmitsNoObject() {
        agrees("{\"anyOf\":[{\"type\":\"object\",\"required\":[\"Key\"],\"propertyNames\":{\"pattern\":\"^[a-z]+$\"}},"
                + "{\"type\":\"string\"}]}", List.of("{\"Key\":1}", "{}", "\"s\""));
    }

    @Test
    void untranslatablePropertyNamesStayReported() {
        JsonSchemaCompiler.CompiledSchema c = JsonSchemaCompiler.compile(
                Json.parse("{\"propertyNames\":{\"anyOf\":[{\"pattern\":\"a\"},{\"maxLength\":2}]}}"), false);
        assertThat(c.unenforced()).singleElement().asString().startsWith("#: 'propertyNames'");
    }
}
