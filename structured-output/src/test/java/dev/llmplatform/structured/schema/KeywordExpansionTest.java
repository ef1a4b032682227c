package dev.llmplatform.structured.schema;

import static dev.llmplatform.structured.schema.JsonSchemaCompilerTest.agrees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aSchemaAdmittingNothingIsACompileError() {
        assertThatThrownBy(() -> JsonSchemaCompiler.compile(
                "{\"type\":\"object\",\"required\":[\"Key\"],\"propertyNames\":{\"pattern\":\"^[a-z]+$\"}}"))
                .isInstanceOf(SchemaCompileException.class)
                .hasMessageContaining("#: no JSON value is valid against this schema")
                .hasMessageContaining("#: required property 'Key' fails 'propertyNames'");
    }

    @Test
    void untranslatablePropertyNamesStayReported() {
        JsonSchemaCompiler.CompiledSchema c = JsonSchemaCompiler.compile(
                Json.parse("{\"propertyNames\":{\"anyOf\":[{\"pattern\":\"a\"},{\"maxLength\":2}]}}"), false);
        assertThat(c.unenforced()).singleElement().asString().startsWith("#: 'propertyNames'");
    }

    @Test
    void discriminatorConditionalsAreExact() {
        String s = "{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":[\"a\",\"b\"]},\"n\":{},\"s\":{}},"
                + "\"required\":[\"kind\"],\"if\":{\"properties\":{\"kind\":{\"const\":\"a\"}}},"
                + "\"then\":{\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]},"
                + "\"else\":{\"properties\":{\"s\":{\"type\":\"string\"}}}}";
        agrees(s, List.of("{\"kind\":\"a\",\"n\":1}", "{\"kind\":\"a\"}", "{\"kind\":\"a\",\"n\":\"x\"}",
                "{\"kind\":\"b\"}", "{\"kind\":\"b\",\"s\":\"x\"}", "{\"kind\":\"b\",\"s\":1}",
                "{\"kind\":\"b\",\"n\":\"x\"}", "{\"kind\":\"c\"}"));
        // the key optional in "if": an object without it satisfies "if" and takes "then"
        agrees("{\"if\":{\"properties\":{\"t\":{\"const\":\"x\"}}},\"then\":{\"required\":[\"v\"]},"
                + "\"else\":{\"maxProperties\":1}}",
                List.of("{}", "{\"v\":1}", "{\"t\":\"x\"}", "{\"t\":\"x\",\"v\":1}", "{\"t\":\"y\"}",
                        "{\"t\":\"y\",\"v\":1}", "3", "\"s\""));
        // "required" in "if" holds for every non-object too, so a non-object takes "then"
        agrees("{\"if\":{\"properties\":{\"t\":{\"const\":\"x\"}},\"required\":[\"t\"]},"
                + "\"then\":{\"type\":[\"object\",\"string\"]},\"else\":{\"type\":[\"object\",\"integer\"]}}",
                List.of("{}", "{\"t\":\"x\"}", "\"s\"", "3", "true"));
        // two conditionals in allOf, as JSON Schema Store files write them
        agrees("{\"type\":\"object\",\"allOf\":[{\"if\":{\"properties\":{\"t\":{\"const\":\"1\"}},\"required\":[\"t\"]},"
                + "\"then\":{\"required\":[\"a\"]}},{\"if\":{\"properties\":{\"t\":{\"const\":\"2\"}},"
                + "\"required\":[\"t\"]},\"then\":{\"required\":[\"b\"]},\"else\":{\"not\":{\"required\":[\"b\"]}}}]}",
                List.of("{}", "{\"t\":\"1\"}", "{\"t\":\"1\",\"a\":0}", "{\"t\":\"2\"}", "{\"t\":\"2\",\"b\":0}",
                        "{\"b\":0}", "{\"t\":\"1\",\"a\":0,\"b\":0}", "{\"t\":\"3\"}", "{\"t\":1}"));
    }

    @Test
    void manyDiscriminatorConditionalsStayLinear() {
        // twelve conditionals on one key: 2^12 combinations, but only 15 cases can hold
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            all.append(i == 0 ? "" : ",").append("{\"if\":{\"properties\":{\"kind\":{\"const\":\"k").append(i)
                    .append("\"}}},\"then\":{\"properties\":{\"v\":{\"minimum\":").append(i).append("}}}}");
        }
        all.append(",{\"if\":{\"properties\":{\"kind\":{\"const\":\"k3\"}},\"required\":[\"kind\"]},"
                + "\"else\":{\"required\":[\"w\"]}}");
        String s = "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\"},\"v\":{\"type\":\"integer\"},"
                + "\"w\":{}},\"allOf\":[" + all + "]}";
        agrees(s, List.of("{\"kind\":\"k3\",\"v\":3}", "{\"kind\":\"k3\",\"v\":2}", "{\"kind\":\"k5\",\"v\":4}",
                "{\"kind\":\"k5\",\"v\":5,\"w\":0}", "{\"kind\":\"zz\",\"v\":-1,\"w\":0}", "{\"kind\":\"zz\",\"v\":-1}",
                "{\"v\":11,\"w\":0}", "{\"v\":10,\"w\":0}", "{\"v\":11}"));
    }

    @Test
    void mergedPropertiesStayBoundByTheOtherSidesAdditionalProperties() {
        // the conditional's "x" is not declared by the closed object: it may not appear at all
        agrees("{\"type\":\"object\",\"properties\":{\"a\":{}},\"additionalProperties\":false,"
                + "\"if\":{\"required\":[\"a\"]},\"then\":{\"properties\":{\"x\":{\"type\":\"integer\"}}}}",
                List.of("{}", "{\"a\":1}", "{\"a\":1,\"x\":2}", "{\"x\":2}"));
        agrees("{\"patternProperties\":{\"^n\":{\"type\":\"number\"}},\"additionalProperties\":false,"
                + "\"not\":{\"properties\":{\"n1\":{\"maximum\":5},\"s\":{\"type\":\"string\"}}}}",
                List.of("{}", "{\"n1\":3}", "{\"n1\":7}", "{\"n1\":\"x\"}", "{\"s\":1}"));
    }

    @Test
    void conditionalsOnBoundsAndCounts() {
        agrees("{\"type\":\"array\",\"if\":{\"minItems\":2},\"then\":{\"items\":{\"type\":\"integer\"}},"
                + "\"else\":{\"items\":{\"type\":\"string\"}}}",
                List.of("[]", "[\"a\"]", "[1]", "[1,2]", "[1,\"a\"]", "[\"a\",\"b\"]"));
        agrees("{\"type\":\"integer\",\"if\":{\"minimum\":10},\"then\":{\"maximum\":12},\"else\":{\"minimum\":0}}",
                List.of("-1", "0", "7", "10", "12", "15", "100", "101"));
        agrees("{\"if\":{\"maxLength\":2},\"then\":{\"pattern\":\"^a\"},\"else\":{\"type\":\"string\"}}",
                List.of("\"a\"", "\"ab\"", "\"b\"", "\"bcd\"", "1", "null"));
    }

    @Test
    void negatedPatternsPropertiesAndBounds() {
        agrees("{\"type\":\"string\",\"not\":{\"pattern\":\"^[.,*\\\\s-]+$\"}}",
                List.of("\"\"", "\"...\"", "\"a.b\"", "\" \"", "\"-x\""));
        agrees("{\"type\":\"string\",\"pattern\":\"^[a-z]+$\",\"maxLength\":4,\"not\":{\"enum\":[\"abc\"]}}",
                List.of("\"ab\"", "\"abc\"", "\"abcd\"", "\"abcde\"", "\"A\""));
        agrees("{\"not\":{\"properties\":{\"x\":{\"const\":null}}}}",
                List.of("{}", "{\"x\":null}", "{\"x\":1}", "1", "{\"y\":null}"));
        agrees("{\"not\":{\"minimum\":3}}", List.of("2", "2.5", "3", "4", "\"s\"", "[]"));
        agrees("{\"type\":[\"integer\",\"string\"],\"not\":{\"exclusiveMaximum\":0}}", List.of("-1", "0", "5", "\"s\""));
        agrees("{\"not\":{\"minLength\":0}}", List.of("\"\"", "1", "null"));
        agrees("{\"type\":\"number\",\"not\":{\"enum\":[0,2]}}", List.of("0", "0.0", "1", "2", "2.5", "-1", "3", "2.0"));
        agrees("{\"type\":\"integer\",\"maximum\":5,\"not\":{\"const\":5}}", List.of("4", "5", "6", "-9"));
        agrees("{\"not\":{\"propertyNames\":{\"not\":{\"enum\":[\"a\",\"b\"]}}}}",
                List.of("{}", "{\"a\":1}", "{\"b\":2,\"c\":1}", "{\"c\":1}", "3"));
        agrees("{\"type\":\"object\",\"not\":{\"anyOf\":[{\"properties\":{\"x\":{\"type\":\"string\"}}},"
                + "{\"required\":[\"y\"]}]}}", List.of("{}", "{\"x\":1}", "{\"x\":\"s\"}", "{\"x\":1,\"y\":2}"));
        agrees("{\"type\":\"array\",\"not\":{\"maxItems\":1}}", List.of("[]", "[1]", "[1,2]"));
        agrees("{\"not\":{\"not\":{\"type\":\"integer\"}}}", List.of("1", "1.5", "\"a\""));
        agrees("{\"type\":\"array\",\"items\":{\"type\":\"array\"},\"contains\":{\"contains\":{\"const\":42}}}",
                List.of("[]", "[[42]]", "[[1],[2,42]]", "[[1],[2]]", "[[]]", "[1]"));
        agrees("{\"type\":\"array\",\"not\":{\"items\":{\"type\":\"string\"}}}", List.of("[]", "[\"a\"]", "[\"a\",1]", "[2]"));
    }

    @Test
    void severalPatternsAndMultiplesFromAllOf() {
        agrees("{\"allOf\":[{\"type\":\"string\",\"pattern\":\"^[ab]\"},{\"pattern\":\"[xyz]$\"},{\"maxLength\":3}]}",
                List.of("\"ax\"", "\"b1z\"", "\"c1z\"", "\"ab\"", "\"abcx\"", "\"a\""));
        agrees("{\"allOf\":[{\"type\":\"number\",\"multipleOf\":1.5},{\"multipleOf\":2}]}",
                List.of("0", "6", "12", "3", "4", "1.5", "-6", "6.0"));
        agrees("{\"type\":\"string\",\"pattern\":\"^[a-z0-9:_-]+$\",\"maxLength\":200}",
                List.of("\"a:b\"", "\"A\"", "\"\"", "\"" + "x".repeat(200) + "\"", "\"" + "x".repeat(201) + "\""));
    }

    @Test
    void containsCountsMatchingItems() {
        agrees("{\"type\":\"array\",\"contains\":{\"const\":3}}",
                List.of("[]", "[3]", "[1,3]", "[1,2]", "[3,3,1]", "[\"3\"]", "[1,2,4,3]"));
        agrees("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"contains\":{\"minimum\":10},"
                + "\"minContains\":2,\"maxContains\":3}",
                List.of("[]", "[10]", "[10,11]", "[1,10,2,11,3]", "[10,11,12]", "[10,11,12,13]", "[10,\"x\",11]"));
        agrees("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}],\"items\":{\"type\":\"integer\"},"
                + "\"contains\":{\"type\":\"string\"},\"maxItems\":3}",
                List.of("[]", "[\"a\"]", "[\"a\",1]", "[1]", "[\"a\",1,2]", "[\"a\",1,2,3]", "[\"a\",\"b\"]"));
        agrees("{\"type\":\"array\",\"contains\":{\"type\":\"null\"},\"minContains\":0,\"maxContains\":1}",
                List.of("[]", "[null]", "[1,null]", "[null,null]", "[null,1,null]"));
    }

    @Test
    void uniqueItemsOverSmallFiniteItemSets() {
        agrees("{\"type\":\"array\",\"uniqueItems\":true,\"items\":{\"enum\":[\"a\",\"b\",\"c\"]}}",
                List.of("[]", "[\"a\"]", "[\"a\",\"b\"]", "[\"c\",\"a\",\"b\"]", "[\"a\",\"a\"]",
                        "[\"a\",\"b\",\"a\"]", "[\"d\"]"));
        agrees("{\"type\":\"array\",\"uniqueItems\":true,\"minItems\":2,\"items\":{\"type\":\"boolean\"}}",
                List.of("[]", "[true]", "[true,false]", "[false,true]", "[true,true]", "[true,false,true]"));
        agrees("{\"type\":\"array\",\"uniqueItems\":true,\"maxItems\":2,\"items\":{\"type\":\"integer\","
                + "\"minimum\":1,\"maximum\":4}}",
                List.of("[1]", "[1,4]", "[4,4]", "[1,2,3]", "[5]", "[0,1]"));
        agrees("{\"type\":\"array\",\"uniqueItems\":true,\"maxItems\":1}", List.of("[]", "[{}]", "[1,1]"));
        agrees("{\"type\":\"array\",\"uniqueItems\":false,\"items\":{\"type\":\"string\"}}",
                List.of("[]", "[\"a\",\"a\"]"));
    }

    @Test
    void uniqueItemsOverOpenItemTypesStayReported() {
        JsonSchemaCompiler.CompiledSchema c = JsonSchemaCompiler.compile(
                Json.parse("{\"type\":\"array\",\"uniqueItems\":true,\"items\":{\"type\":\"string\"}}"), false);
        assertThat(c.unenforced()).singleElement().asString().startsWith("#: 'uniqueItems'");
    }
}
