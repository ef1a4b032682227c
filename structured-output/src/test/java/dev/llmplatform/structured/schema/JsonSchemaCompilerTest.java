package dev.llmplatform.structured.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.structured.gbnf.Grammar;
import dev.llmplatform.structured.matcher.ByteMatcher;
import dev.llmplatform.structured.matcher.GrammarCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keyword by keyword: the grammar accepts exactly what the reference validator accepts, on
 * hand-picked instances around each keyword's boundaries.
 */
class JsonSchemaCompilerTest {

    static void agrees(String schema, List<String> instances) {
        ByteMatcher m = new ByteMatcher(GrammarCompiler.compile(Grammar.parse(JsonSchemaCompiler.compile(schema).gbnf())));
        SchemaOracle oracle = new SchemaOracle(schema);
        for (String inst : instances) {
            boolean json = true;
            try {
                dev.llmplatform.structured.json.Json.parse(inst);
            } catch (IllegalArgumentException e) {
                json = false;
            }
            boolean expected = json && oracle.valid(inst);
            assertThat(m.matches(inst)).as("%s on %s", schema, inst).isEqualTo(expected);
        }
    }

    @Test
    void typesIncludingListsAndNullable() {
        agrees("{\"type\":[\"string\",\"null\"]}", List.of("\"a\"", "null", "1", "true", "{}"));
        agrees("{\"type\":\"integer\"}", List.of("0", "-7", "12", "1.5", "01", "\"1\"", "1.0"));
        agrees("{\"type\":\"number\"}", List.of("0", "-7.25", "1e5", "1E-3", ".5", "-", "1."));
        agrees("{\"type\":\"boolean\"}", List.of("true", "false", "null", "1"));
        agrees("{}", List.of("1", "\"x\"", "[1,{\"a\":null}]", "{\"k\":[]}"));
    }

    /**
     * The one deliberate disagreement with the validator: an integer may end in one ".0" but not in a run of zeros,
     * which a sampled model otherwise extends until max_tokens ("81.0000000…").
     */
    @Test
    void integersTakeAtMostOneZeroFraction() {
        ByteMatcher m = new ByteMatcher(GrammarCompiler.compile(Grammar.parse(JsonSchemaCompiler.compile("{\"type\":\"integer\"}").gbnf())));
        assertThat(m.matches("81")).isTrue();
        assertThat(m.matches("81.0")).isTrue();
        assertThat(m.matches("81.00")).isFalse();
        assertThat(m.matches("81.0000000000")).isFalse();
    }

    @Test
    void objectsPropertiesRequiredAdditional() {
        String s = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},"
                + "\"required\":[\"b\"],\"additionalProperties\":false}";
        agrees(s, List.of("{\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1}", "{}", "{\"b\":\"x\",\"c\":1}",
                "{\"a\":\"no\",\"b\":\"x\"}"));
        String open = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}";
        agrees(open, List.of("{}", "{\"a\":1}", "{\"a\":1,\"z\":[true]}", "{\"a\":\"str\"}", "{\"z\":1}", "{\"ab\":\"s\"}"));
        String typed = "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"number\"}}";
        agrees(typed, List.of("{}", "{\"x\":1,\"y\":2.5}", "{\"x\":\"1\"}"));
    }

    @Test
    void arraysItemsPrefixItemsAndCounts() {
        agrees("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":1,\"maxItems\":3}",
                List.of("[]", "[1]", "[1,2,3]", "[1,2,3,4]", "[1,\"a\"]"));
        agrees("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"integer\"}],\"items\":false}",
                List.of("[]", "[\"a\"]", "[\"a\",1]", "[\"a\",1,2]", "[1]"));
        agrees("{\"type\":\"array\",\"prefixItems\":[{\"const\":1}],\"items\":{\"type\":\"string\"},\"minItems\":2}",
                List.of("[1]", "[1,\"x\"]", "[1,\"x\",\"y\"]", "[2,\"x\"]", "[1,2]"));
    }

    @Test
    void enumConstAnyOfAllOf() {
        agrees("{\"enum\":[\"red\",\"green\",1,null,{\"a\":[1]}]}",
                List.of("\"red\"", "\"blue\"", "1", "2", "null", "{\"a\":[1]}", "{\"a\":[2]}"));
        agrees("{\"const\":\"x\\\"y\"}", List.of("\"x\\\"y\"", "\"xy\""));
        agrees("{\"anyOf\":[{\"type\":\"string\",\"maxLength\":2},{\"type\":\"integer\",\"minimum\":10}]}",
                List.of("\"ab\"", "\"abc\"", "10", "9", "null"));
        agrees("{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]},"
                + "{\"properties\":{\"b\":{\"type\":\"boolean\"}},\"required\":[\"b\"]}]}",
                List.of("{\"a\":1,\"b\":true}", "{\"a\":1}", "{\"b\":true}", "{\"a\":1,\"b\":2}"));
    }

    @Test
    void refsIncludingRecursion() {
        String tree = "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"},"
                + "\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}},\"required\":[\"v\"],"
                + "\"additionalProperties\":false}},\"$ref\":\"#/$defs/node\"}";
        agrees(tree, List.of("{\"v\":1}", "{\"v\":1,\"kids\":[{\"v\":2,\"kids\":[{\"v\":3}]}]}",
                "{\"v\":1,\"kids\":[{\"kids\":[]}]}", "{\"v\":1,\"kids\":[{\"v\":\"x\"}]}"));
    }

    @Test
    void stringLengthsPatternsAndFormats() {
        agrees("{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}",
                List.of("\"a\"", "\"ab\"", "\"abc\"", "\"abcd\"", "\"\u00e9\u00e9\"", "\"a\\\"\""));
        agrees("{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}-\\\\d+$\"}",
                List.of("\"AB-12\"", "\"AB-\"", "\"ab-12\"", "\"XAB-12\"", "\"AB-12x\""));
        agrees("{\"type\":\"string\",\"pattern\":\"cat\"}", List.of("\"cat\"", "\"a cat!\"", "\"dog\""));
        agrees("{\"type\":\"string\",\"pattern\":\"^[a-z0-9-]+$\",\"maxLength\":4,\"minLength\":2}",
                List.of("\"a\"", "\"ab\"", "\"ab-9\"", "\"abcde\"", "\"AB\"", "\"\""));
        agrees("{\"type\":\"string\",\"format\":\"date\"}", List.of("\"2024-02-29\"", "\"2024-13-01\"", "\"24-01-01\""));
        agrees("{\"type\":\"string\",\"format\":\"uuid\"}",
                List.of("\"123e4567-e89b-12d3-a456-426614174000\"", "\"123e4567e89b12d3a456426614174000\""));
    }

    @Test
    void numericBounds() {
        agrees("{\"type\":\"integer\",\"minimum\":-5,\"maximum\":120}",
                List.of("-6", "-5", "0", "7", "99", "120", "121", "1000", "-10"));
        agrees("{\"type\":\"integer\",\"exclusiveMinimum\":0}", List.of("0", "1", "-1", "123456789"));
        agrees("{\"type\":\"number\",\"minimum\":0,\"maximum\":1}",
                List.of("0", "0.5", "1", "1.0", "1.01", "-0.1", "2", "0.999"));
        agrees("{\"type\":\"number\",\"exclusiveMinimum\":-1,\"exclusiveMaximum\":3}",
                List.of("-1", "-0.5", "0", "2.99", "3", "3.0", "-2"));
    }

    @Test
    void multipleOf() {
        agrees("{\"type\":\"integer\",\"multipleOf\":7}", List.of("0", "7", "-14", "700", "13", "71", "1.0", "7.0"));
        agrees("{\"type\":\"number\",\"multipleOf\":0.25}",
                List.of("0", "0.25", "1.5", "1.50", "-2.75", "0.2", "1.125", "3"));
        agrees("{\"type\":\"number\",\"multipleOf\":2.5}", List.of("5", "7.5", "2.5", "1", "12.50", "-10", "3.5"));
        agrees("{\"type\":\"integer\",\"multipleOf\":0.5}", List.of("1", "2", "-3", "0.5"));
    }

    @Test
    void notOfSimpleForms() {
        agrees("{\"type\":\"string\",\"not\":{\"enum\":[\"a\",\"bc\"]}}", List.of("\"a\"", "\"b\"", "\"bc\"", "\"bcd\"", "\"\""));
        agrees("{\"not\":{\"type\":[\"string\",\"null\"]}}", List.of("\"a\"", "null", "1", "{}"));
        agrees("{\"type\":\"object\",\"not\":{\"required\":[\"x\"]}}", List.of("{}", "{\"x\":1}", "{\"y\":1}"));
        agrees("{\"not\":{\"required\":[\"x\"]}}", List.of("{}", "{\"x\":1}", "1", "\"s\""));
        agrees("{\"properties\":{\"a\":{},\"b\":{}},\"not\":{\"required\":[\"a\",\"b\"]}}",
                List.of("{}", "{\"a\":1}", "{\"b\":1}", "{\"a\":1,\"b\":2}", "[]"));
        agrees("{\"not\":{\"type\":\"string\",\"enum\":[\"x\"]}}", List.of("\"x\"", "\"y\"", "3", "null"));
    }

    @Test
    void dependenciesAsPresenceCases() {
        String s = "{\"type\":\"object\",\"properties\":{\"card\":{\"type\":\"string\"},\"billing\":"
                + "{\"type\":\"string\"},\"zip\":{\"type\":\"integer\"}},\"dependencies\":{\"card\":[\"billing\"],"
                + "\"zip\":{\"required\":[\"billing\"]}}}";
        agrees(s, List.of("{}", "{\"card\":\"1\"}", "{\"card\":\"1\",\"billing\":\"x\"}", "{\"billing\":\"x\"}",
                "{\"zip\":1}", "{\"billing\":\"x\",\"zip\":1}", "{\"card\":\"1\",\"billing\":\"x\",\"zip\":2}"));
    }

    @Test
    void unsupportedKeywordsAreListedNotIgnored() {
        assertThatThrownBy(() -> JsonSchemaCompiler.compile(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"uniqueItems\":true}},"
                        + "\"propertyNames\":{\"format\":\"email\"}}"))
                .isInstanceOf(SchemaCompileException.class)
                .hasMessageContaining("#/properties/a: 'uniqueItems'")
                .hasMessageContaining("#: 'propertyNames'");
        JsonSchemaCompiler.CompiledSchema lenient = JsonSchemaCompiler.compile(
                dev.llmplatform.structured.json.Json.parse("{\"type\":\"array\",\"uniqueItems\":true}"), false);
        assertThat(lenient.unenforced()).singleElement().asString().startsWith("#: 'uniqueItems'");
    }

    @Test
    void annotationsAreIgnoredAndOrderFollowsTheSchema() {
        String s = "{\"title\":\"T\",\"description\":\"d\",\"$schema\":\"x\",\"type\":\"object\",\"properties\":"
                + "{\"z\":{\"type\":\"integer\",\"examples\":[1]},\"a\":{\"type\":\"integer\",\"default\":2}},"
                + "\"required\":[\"z\",\"a\"],\"additionalProperties\":false}";
        ByteMatcher m = new ByteMatcher(GrammarCompiler.compile(Grammar.parse(JsonSchemaCompiler.compile(s).gbnf())));
        assertThat(m.matches("{\"z\":1,\"a\":2}")).isTrue();
        assertThat(m.matches("{\"a\":2,\"z\":1}")).isFalse();
        assertThat(m.matches("{ \"z\": 1,\n  \"a\": 2 }")).isTrue();
    }
}
