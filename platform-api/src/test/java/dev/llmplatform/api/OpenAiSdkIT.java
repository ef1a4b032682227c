package dev.llmplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the real server: what integrations will do. */
class OpenAiSdkIT {
    static TestServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
        client = OpenAIOkHttpClient.builder().baseUrl(server.base + "/v1").apiKey("unused")
                .maxRetries(0).timeout(Duration.ofMinutes(2)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
    }

    /** What the SDK's structured-output helper turns into a strict JSON Schema. */
    public static class Verdict {
        public enum Mood { HAPPY, SAD, NEUTRAL }

        @JsonPropertyDescription("the overall mood")
        public Mood mood;
        public boolean sure;
    }

    /** A tool the SDK describes from a class. */
    public static class SetAlarm {
        public enum Day { MONDAY, TUESDAY, WEDNESDAY }

        public Day day;
        public boolean loud;
    }

    @Test
    void chat() {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TestServer.MODEL).addSystemMessage("Be brief.").addUserMessage("Hello!").maxCompletionTokens(5)
                .temperature(0.0).build());
        assertThat(c.id()).startsWith("chatcmpl-");
        assertThat(c.model()).isEqualTo(TestServer.MODEL);
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().message().content()).isPresent();
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(5);
    }

    @Test
    void streamingChatAddsUpToTheSameText() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(TestServer.MODEL)
                .addUserMessage("Count with me").maxCompletionTokens(8).temperature(0.0).build();
        StringBuilder text = new StringBuilder();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        }
        assertThat(finish).isEqualTo("length");
        String whole = client.chat().completions().create(params).choices().getFirst().message().content().orElseThrow();
        assertThat(text.toString()).isEqualTo(whole);
    }

    @Test
    void structuredOutputParsesIntoAJavaClass() {
        StructuredChatCompletion<Verdict> c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TestServer.MODEL).addUserMessage("How do you feel?").maxCompletionTokens(200).temperature(1.0).seed(11)
                .responseFormat(Verdict.class).build());
        Verdict v = c.choices().getFirst().message().content().orElseThrow();
        assertThat(v.mood).isNotNull();
    }

    @Test
    void toolCallsCarryArgumentsThatParse() {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TestServer.MODEL).addUserMessage("Wake me up on Tuesday").maxCompletionTokens(300).seed(5).temperature(1.0)
                .addTool(SetAlarm.class).toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).parallelToolCalls(false).build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        var call = calls.getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("SetAlarm");
        SetAlarm args = call.function().arguments(SetAlarm.class);
        assertThat(args.day).isNotNull();
    }

    @Test
    void logprobs() {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TestServer.MODEL).addUserMessage("Hi").maxCompletionTokens(3).logprobs(true).topLogprobs(3L).build());
        var content = c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow();
        assertThat(content).hasSize(3);
        assertThat(content.getFirst().topLogprobs()).hasSize(3);
        assertThat(content.getFirst().logprob()).isLessThanOrEqualTo(0.0);
    }

    @Test
    void completionsWithEcho() {
        Completion c = client.completions().create(CompletionCreateParams.builder()
                .model(TestServer.MODEL).prompt("The quick brown fox").maxTokens(4L).echo(true).logprobs(1L).temperature(0.0).build());
        assertThat(c.choices().getFirst().text()).startsWith("The quick brown fox");
        assertThat(c.choices().getFirst().logprobs().orElseThrow().tokens().orElseThrow()).hasSizeGreaterThan(4);
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("default").input("The platform embeds text.").build());
        assertThat(r.data()).hasSize(1);
        List<Float> v = r.data().getFirst().embedding();
        assertThat(v).hasSize(384);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void models() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).contains(TestServer.MODEL, "default");
        assertThat(client.models().retrieve(TestServer.MODEL).id()).isEqualTo(TestServer.MODEL);
    }

    @Test
    void errorsMapToTheSdksTypes() {
        assertThatThrownBy(() -> client.models().retrieve("no-such-model")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TestServer.MODEL).addUserMessage("x").maxCompletionTokens(5_000).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("context_length_exceeded");
                    assertThat(e.type()).contains("invalid_request_error");
                });
    }
}
