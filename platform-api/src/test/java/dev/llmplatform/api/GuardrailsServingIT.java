package dev.llmplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The guardrails (the built-in "fast" policy: the default one without the classifier) on the real endpoints: block, redact, and a streamed secret cut before it leaves. */
class GuardrailsServingIT {
    static TestServer server;
    static final ObjectMapper json = new ObjectMapper();
    static final String SECRET = "AKIAQWERTYUIOPASDFGH";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
    }

    @Test
    void aBlockedInputIsA400NamingTheCategoryNotTheText() throws Exception {
        HttpResponse<String> r = server.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":2,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"my key is " + SECRET + " keep it\"}]}");
        PlatformHttpIT.assertOpenAiError(r, 400);
        JsonNode error = json.readTree(r.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("content_filter");
        assertThat(error.get("message").asString()).contains("AWS_ACCESS_KEY");
        assertThat(r.body()).doesNotContain(SECRET);
        // ... and the decision is in the audit log, without the secret
        JsonNode events = json.readTree(server.get("/v1/admin/guardrails/events?action=block").body());
        assertThat(events.get("data").size()).isPositive();
        assertThat(events.toString()).doesNotContain(SECRET);
    }

    @Test
    void aRedactedPromptReachesTheModelRedacted() throws Exception {
        // echo + logprobs return the prompt's tokens as the model saw them
        HttpResponse<String> response = server.post("/v1/completions", "{\"model\":\"tiny\",\"max_tokens\":1,\"echo\":true,\"logprobs\":1,"
                + "\"prompt\":\"Please send the minutes to jane.doe@example.com after the meeting.\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode r = json.readTree(response.body());
        StringBuilder seen = new StringBuilder();
        r.at("/choices/0/logprobs/tokens").forEach(t -> seen.append(t.asString()));
        assertThat(seen.toString()).as(response.body()).contains("<EMAIL_1>").doesNotContain("jane.doe@example.com");
    }

    @Test
    void aStreamedSecretIsCutBeforeItsFirstCharacterLeaves() throws Exception {
        // The grammar makes the model write a secret, so the output rail has one to catch.
        String grammar = "root ::= \"Sure, the key is " + SECRET + " and more text after it.\"";
        HttpResponse<String> r = server.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":60,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"the key?\"}],\"grammar\":" + json.writeValueAsString(grammar) + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        StringBuilder content = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        boolean errorEvent = false;
        for (String event : r.body().split("\n\n")) {
            if (!event.startsWith("data: {")) {
                continue;
            }
            JsonNode c = json.readTree(event.substring(6));
            if (c.has("error")) {
                errorEvent = true;
                assertThat(c.at("/error/code").asString()).isEqualTo("content_filter");
                continue;
            }
            content.append(c.at("/choices/0/delta/content").asString(""));
            if (c.at("/choices/0/finish_reason").isString()) {
                finishes.add(c.at("/choices/0/finish_reason").asString());
            }
        }
        assertThat(content.toString()).startsWith("Sure").doesNotContain("AKIA").doesNotContain("A");
        assertThat(finishes).containsExactly("content_filter");
        assertThat(errorEvent).isTrue();
        assertThat(r.body()).doesNotContain(SECRET.substring(0, 4));
    }

    @Test
    void aNonStreamedBlockedAnswerIsWithheld() throws Exception {
        String grammar = "root ::= \"card 4111 1111 1111 1111 ok\"";
        JsonNode r = json.readTree(server.post("/v1/chat/completions", "{\"model\":\"tiny\",\"max_tokens\":60,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a card?\"}],\"grammar\":" + json.writeValueAsString(grammar) + "}").body());
        assertThat(r.at("/choices/0/finish_reason").asString()).isEqualTo("content_filter");
        assertThat(r.at("/choices/0/message/content").asString()).doesNotContain("4111");
    }
}
