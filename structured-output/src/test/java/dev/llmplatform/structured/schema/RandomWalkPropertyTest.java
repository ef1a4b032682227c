package dev.llmplatform.structured.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.structured.StructuredOutput;
import dev.llmplatform.structured.json.Json;
import dev.llmplatform.structured.matcher.GrammarConstraint;
import dev.llmplatform.structured.matcher.TokenMasker;
import dev.llmplatform.structured.matcher.TokenVocabulary;
import dev.llmplatform.structured.testing.ByteVocabTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: a walk that picks uniformly among the allowed tokens, until it picks EOS, always produces
 * JSON that parses and that the reference validator accepts.
 */
class RandomWalkPropertyTest {
    private static final ByteVocabTokenizer TOKENIZER = ByteVocabTokenizer.standard(300, 11);
    private static final TokenVocabulary VOCAB = TokenVocabulary.of(TOKENIZER);

    static List<String> schemas() throws Exception {
        List<String> inline = List.of(
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":8},"
                        + "\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":150},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\"]},\"maxItems\":3}},"
                        + "\"required\":[\"name\",\"age\"],\"additionalProperties\":false}",
                "{\"anyOf\":[{\"type\":\"number\",\"minimum\":-2,\"maximum\":2},{\"type\":\"string\",\"format\":\"date\"},"
                        + "{\"type\":\"null\"}]}",
                "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"boolean\"},{\"const\":\"k\"}],\"items\":{\"type\":\"integer\"},"
                        + "\"maxItems\":4}",
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"pattern\":\"^[a-c]{2}\\\\d$\"}},"
                        + "\"additionalProperties\":{\"type\":\"boolean\"},\"required\":[\"id\"]}",
                "{\"$defs\":{\"n\":{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/n\"},"
                        + "\"maxItems\":2}},\"additionalProperties\":false}},\"$ref\":\"#/$defs/n\"}");
        List<String> files = List.of("Glaiveai2K---calculate_area_da13baad.json", "BFCL_simple_131.json",
                "MCPspec---CallToolRequest.json");
        java.util.ArrayList<String> out = new java.util.ArrayList<>(inline);
        for (String f : files) {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(
                    SharedTestData.require("json-schema/maskbench/" + f)));
            out.add(Json.write(doc.get("schema")));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void uniformWalksEndInValidJson(String schema) {
        TokenMasker masker = StructuredOutput.forJsonSchema(schema, VOCAB);
        SchemaOracle oracle = new SchemaOracle(schema);
        Random r = new Random(schema.hashCode());
        int finished = 0;
        for (int walk = 0; walk < 60; walk++) {
            GrammarConstraint c = masker.newConstraint();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitSet allowed = new BitSet();
            for (int step = 0; step < 400; step++) {
                allowed.clear();
                c.allowedTokens(allowed);
                assertThat(allowed.isEmpty()).as("dead end after %s", out.toString(StandardCharsets.UTF_8)).isFalse();
                int pick = allowed.stream().skip(r.nextInt(allowed.cardinality())).findFirst().orElseThrow();
                c.accept(pick);
                if (pick == TOKENIZER.eos()) {
                    String text = out.toString(StandardCharsets.UTF_8);
                    Json.parse(text); // throws if not JSON
                    assertThat(oracle.valid(text)).as("%s valid against %s", text, schema).isTrue();
                    finished++;
                    break;
                }
                out.writeBytes(VOCAB.tokenBytes(pick));
            }
        }
        assertThat(finished).as("walks that reached EOS").isGreaterThan(0);
    }
}
