package dev.llmplatform.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.structured.JsonSchemaOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A remote model's answer is validated here, whatever the upstream claims: an invalid one is reported invalid. */
class UpstreamChatTest {
    static final JsonSchemaOutput SCHEMA = JsonSchemaOutput.compile(
            "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"],\"additionalProperties\":false}");

    @Test
    void aMatchingAnswerIsValid() {
        Map<String, Object> v = UpstreamChat.schemaValidation(SCHEMA, "{\"ok\": true}");
        assertThat(v.get("valid")).isEqualTo(true);
        assertThat((List<?>) v.get("violations")).isEmpty();
    }

    @Test
    void aWrongTypeMissingKeyOrNonJsonAnswerIsInvalidWithItsViolations() {
        for (String answer : List.of("{\"ok\": 3}", "{}", "{\"ok\": true, \"extra\": 1}", "Sure! {\"ok\": true}")) {
            Map<String, Object> v = UpstreamChat.schemaValidation(SCHEMA, answer);
            assertThat(v.get("valid")).as(answer).isEqualTo(false);
            assertThat((List<?>) v.get("violations")).as(answer).isNotEmpty();
        }
    }
}
