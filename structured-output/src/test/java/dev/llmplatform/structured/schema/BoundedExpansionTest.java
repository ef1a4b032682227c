package dev.llmplatform.structured.schema;

import static dev.llmplatform.structured.schema.JsonSchemaCompilerTest.agrees;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.structured.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keywords enforced by sound bounded expansion (member counts tracked in the rules, listed values
 * checked at compile time, lengths folded into patterns, multiples between bounds listed): strict
 * compilation succeeds and the grammar accepts exactly what the reference validator (networknt) does.
 */
class BoundedExpansionTest {

    @Test
    void minAndMaxPropertiesCountDeclaredAndAdditionalMembers() {
        agrees("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},"
                + "\"minProperties\":1,\"maxProperties\":2}",
                List.of("{}", "{\"a\":1}", "{\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"x\",\"c\":true}",
                        "{\"c\":1}", "{\"c\":1,\"d\":2}", "{\"c\":1,\"d\":2,\"e\":3}", "{\"a\":1,\"c\":2}"));
        agrees("{\"type\":\"object\",\"minProperties\":2,\"additionalProperties\":{\"type\":\"integer\"}}",
                List.of("{}", "{\"x\":1}", "{\"x\":1,\"y\":2}", "{\"x\":1,\"y\":2,\"z\":3}", "{\"x\":1,\"y\":\"s\"}"));
        agrees("{\"properties\":{\"a\":{},\"b\":{}},\"required\":[\"a\"],\"maxProperties\":1}",
                List.of("{\"a\":1}", "{\"a\":1,\"b\":2}", "{\"b\":2}", "{}", "{\"a\":1,\"z\":0}", "3"));
        agrees("{\"type\":\"object\",\"properties\":{\"a\":{}},\"additionalProperties\":false,\"minProperties\":2}",
                List.of("{}", "{\"a\":1}", "{\"a\":1,\"b\":2}"));
    }

    @Test
    void listedValuesAreCheckedAgainstEveryOtherKeyword() {
        agrees("{\"enum\":[1,2,3,4,5,6],\"not\":{\"enum\":[2]},\"multipleOf\":2}",
                List.of("1", "2", "3", "4", "5", "6", "8"));
        agrees("{\"allOf\":[{\"enum\":[[1],[1,1],[1,2]]},{\"uniqueItems\":true}]}",
                List.of("[1]", "[1,1]", "[1,2]", "[2]"));
        agrees("{\"allOf\":[{\"enum\":[3.5,2]},{\"not\":{\"maximum\":3.0}}]}", List.of("3.5", "2", "4"));
        agrees("{\"enum\":[\"a\",\"bb\",\"cc\"],\"if\":{\"maxLength\":1},\"then\":{\"const\":\"a\"},"
                + "\"else\":{\"pattern\":\"^b\"}}", List.of("\"a\"", "\"bb\"", "\"cc\"", "\"b\""));
        agrees("{\"$defs\":{\"small\":{\"maximum\":2}},\"enum\":[1,2,3],\"not\":{\"$ref\":\"#/$defs/small\"}}",
                List.of("1", "2", "3"));
        agrees("{\"const\":{\"a\":1},\"minProperties\":2}", List.of("{\"a\":1}", "{}"));
    }

    @Test
    void lengthsBesideAPatternThatImpliesOrPinsThem() {
        agrees("{\"type\":\"string\",\"pattern\":\"[a-zA-Z]{3}\",\"minLength\":3,\"maxLength\":3}",
                List.of("\"abc\"", "\"ab\"", "\"abcd\"", "\"1abc\"", "\"ab1\"", "\"ABC\""));
        agrees("{\"type\":\"string\",\"pattern\":\"^\\\\d{2,4}$\",\"maxLength\":10,\"minLength\":1}",
                List.of("\"1\"", "\"12\"", "\"1234\"", "\"12345\"", "\"ab\""));
        agrees("{\"type\":\"string\",\"pattern\":\"^abc\",\"maxLength\":2}", List.of("\"ab\"", "\"abc\"", "\"\""));
    }

    @Test
    void multiplesBetweenBoundsAreListed() {
        agrees("{\"type\":\"integer\",\"minimum\":0,\"maximum\":64,\"multipleOf\":16}",
                List.of("0", "16", "32", "64", "80", "-16", "8", "1"));
        agrees("{\"type\":\"number\",\"minimum\":0.5,\"exclusiveMaximum\":2,\"multipleOf\":0.5}",
                List.of("0", "0.5", "1", "1.0", "1.5", "2", "2.0", "0.75"));
        agrees("{\"type\":\"number\",\"multipleOf\":1,\"minimum\":9}", List.of("8", "9", "9.0", "9.5", "10", "1000"));
        agrees("{\"type\":\"integer\",\"multipleOf\":0.75,\"minimum\":-3,\"maximum\":3}",
                List.of("-3", "0", "3", "1.5", "2", "-1"));
    }

    @Test
    void patternPropertiesBesideAdditionalPropertiesAreExact() {
        agrees("{\"type\":\"object\",\"patternProperties\":{\"^x-\":{\"type\":\"integer\"}},"
                + "\"additionalProperties\":{\"type\":\"string\"}}",
                List.of("{\"x-a\":1}", "{\"x-a\":\"s\"}", "{\"b\":\"s\"}", "{\"b\":1}", "{\"x\":\"s\"}",
                        "{\"b\":\"s\",\"x-1\":2}", "{\"q\\\"x\":\"s\"}"));
        agrees("{\"patternProperties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"minimum\":5}},"
                + "\"additionalProperties\":false}",
                List.of("{\"ab\":3}", "{\"ab\":7}", "{\"a\":3}", "{\"c\":1}", "{\"b\":\"x\"}", "{\"ba\":2.5}"));
        agrees("{\"properties\":{\"xa\":{\"type\":\"number\"}},\"patternProperties\":{\"^x\":{\"type\":\"integer\"}}}",
                List.of("{\"xa\":1.5}", "{\"xa\":2}", "{\"xb\":\"s\"}", "{\"xb\":3}", "{\"y\":\"s\"}"));
        JsonSchemaCompiler.CompiledSchema c = JsonSchemaCompiler.compile(Json.parse(
                "{\"patternProperties\":{\"^x-\":{}},\"additionalProperties\":{\"type\":\"string\"}}"), true);
        assertThat(c.approximations()).isEmpty();
    }

    @Test
    void expansionsTooLargeAreStillReported() {
        JsonSchemaCompiler.CompiledSchema big = JsonSchemaCompiler.compile(
                Json.parse("{\"type\":\"integer\",\"minimum\":0,\"maximum\":100000,\"multipleOf\":3}"), false);
        assertThat(big.unenforced()).containsExactly("#: multipleOf together with minimum/maximum");
    }
}
