package dev.llmplatform.api.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.api.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A gateway whose model {@code remote} is served by two upstreams — two real {@code llmp serve} instances
 * (the shared test server and a second one, both serving the reference file as {@code tiny}), each behind a
 * {@link TcpRelay} that the tests stop (the upstream's network dies: open connections drop, new ones are
 * refused), restart and cut mid-answer. Everything the platform does for a local model happens on the way:
 * rails, RAG with citations, schema validation, usage.
 */
class UpstreamIT {
    static final ObjectMapper json = new ObjectMapper();
    static final String SECRET = "AKIAQWERTYUIOPASDFGH";
    static TestServer upstream;
    static ConfigurableApplicationContext second;
    static TcpRelay a;
    static TcpRelay b;
    static ConfigurableApplicationContext gateway;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        upstream = TestServer.get();
        second = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1",
                "--llmp.home=" + Files.createTempDirectory("llmp-upstream-2-home"),
                "--llmp.models[0].id=" + TestServer.MODEL, "--llmp.models[0].path=" + upstream.modelFile,
                "--llmp.models[0].parallel=4", "--llmp.models[0].ctx=1024", "--llmp.serving.threads=1",
                "--llmp.guardrails.policy=fast");
        a = new TcpRelay(URI.create(upstream.base).getPort());
        b = new TcpRelay(((WebServerApplicationContext) second).getWebServer().getPort());
        gateway = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1",
                "--llmp.home=" + Files.createTempDirectory("llmp-gateway-home"),
                "--llmp.models[0].id=remote", "--llmp.models[0].upstream=" + a.url() + "," + b.url() + "/v1/",
                "--llmp.models[0].upstream-model=" + TestServer.MODEL, "--llmp.models[0].ctx=1024",
                "--llmp.models[1].id=remote-embed", "--llmp.models[1].upstream=" + a.url(), "--llmp.models[1].upstream-model=default",
                "--llmp.upstreams.health-interval=300ms", "--llmp.upstreams.connect-timeout=1s",
                "--llmp.upstreams.minimum-calls=2", "--llmp.upstreams.open-duration=1s",
                "--llmp.guardrails.policy=fast");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
        // The second server starts cold: one answer, straight to it (not through its relay, whose counters the
        // tests read), compiles its kernels, so that under a loaded CI machine it streams at a useful pace.
        String secondBase = "http://127.0.0.1:" + ((WebServerApplicationContext) second).getWebServer().getPort();
        assertThat(post(secondBase, "{\"model\":\"" + TestServer.MODEL + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Warm up.\"}]}").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (a != null) {
            a.close();
            b.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @AfterEach
    void bothUpstreamsBack() throws Exception {
        a.start();
        b.start();
        awaitEndpoints(e -> e.path("healthy").asBoolean() && e.path("circuit").asString().equals("closed"));
    }

    static String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":12,\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Tell me about the sea.\"}]" + extra + "}";
    }

    static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The data events of an SSE body, {@code [DONE]} included. */
    static List<String> events(String sse) {
        List<String> out = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                out.add(line.substring(6));
            }
        }
        return out;
    }

    static String streamedText(List<String> events) {
        StringBuilder text = new StringBuilder();
        for (String e : events) {
            if (!e.equals("[DONE]")) {
                JsonNode n = json.readTree(e);
                for (JsonNode c : n.path("choices")) {
                    text.append(c.path("delta").path("content").asString(""));
                }
            }
        }
        return text.toString();
    }

    static JsonNode endpoints() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/admin/upstreams")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body()).at("/data/0/endpoints"); // the chat model's
    }

    static void awaitEndpoints(java.util.function.Predicate<JsonNode> each) throws Exception {
        for (int i = 0; i < 200; i++) {
            boolean all = true;
            for (JsonNode e : endpoints()) {
                all &= each.test(e);
            }
            if (all) {
                return;
            }
            // a closed circuit needs a trial call after its open time; ordinary traffic makes it
            post(base, chat("remote", ""));
            Thread.sleep(100);
        }
        throw new AssertionError("upstreams did not recover: " + endpoints());
    }

    @Test
    void answersAsTheUpstreamDoesUnderTheGatewaysName() throws Exception {
        JsonNode direct = json.readTree(post(upstream.base, chat(TestServer.MODEL, "")).body());
        HttpResponse<String> r = post(base, chat("remote", ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode via = json.readTree(r.body());
        assertThat(via.at("/choices/0/message/content").asString()).isEqualTo(direct.at("/choices/0/message/content").asString())
                .isNotEmpty();
        assertThat(via.get("model").asString()).isEqualTo("remote");
        // (cached prompt tokens depend on which upstream's prefix cache served it)
        assertThat(via.at("/usage/prompt_tokens")).isEqualTo(direct.at("/usage/prompt_tokens"));
        assertThat(via.at("/usage/completion_tokens")).isEqualTo(direct.at("/usage/completion_tokens"));
        // the model is listed
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models/remote")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(models.statusCode()).isEqualTo(200);
    }

    @Test
    void streamsTheSameTextAndPassesUsageOnlyWhenAsked() throws Exception {
        String direct = json.readTree(post(upstream.base, chat(TestServer.MODEL, "")).body()).at("/choices/0/message/content").asString();
        List<String> plain = events(post(base, chat("remote", ",\"stream\":true")).body());
        assertThat(plain.getLast()).isEqualTo("[DONE]");
        assertThat(streamedText(plain)).isEqualTo(direct);
        assertThat(plain).noneMatch(e -> e.contains("\"usage\":{"));
        assertThat(plain).allMatch(e -> e.equals("[DONE]") || json.readTree(e).get("model").asString().equals("remote"));

        List<String> withUsage = events(post(base, chat("remote", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")).body());
        JsonNode usage = json.readTree(withUsage.get(withUsage.size() - 2)).get("usage");
        assertThat(usage.get("completion_tokens").asInt()).isPositive();
    }

    @Test
    void aBlockedInputNeverReachesTheUpstream() throws Exception {
        int before = a.chatRequests() + b.chatRequests();
        HttpResponse<String> r = post(base, "{\"model\":\"remote\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"my key is " + SECRET + "\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json.readTree(r.body()).at("/error/code").asString()).isEqualTo("content_filter");
        assertThat(r.body()).doesNotContain(SECRET);
        assertThat(a.chatRequests() + b.chatRequests()).isEqualTo(before);
    }

    @Test
    void aStreamedSecretFromTheUpstreamIsCutBeforeItLeaves() throws Exception {
        String grammar = "root ::= \"Sure, the key is " + SECRET + " and more text after it.\"";
        String body = post(base, "{\"model\":\"remote\",\"max_tokens\":60,\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"the key?\"}],\"grammar\":" + json.writeValueAsString(grammar) + "}").body();
        assertThat(body).doesNotContain("AKIA").doesNotContain("more text");
        assertThat(body).contains("\"finish_reason\":\"content_filter\"").contains("\"code\":\"content_filter\"");
        assertThat(streamedText(events(body))).startsWith("Sure, the key is");
    }

    @Test
    void theAnswerIsValidatedAgainstTheRequestedSchema() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"],\"additionalProperties\":false}";
        JsonNode r = json.readTree(post(base, "{\"model\":\"remote\",\"max_tokens\":20,\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"ok?\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"v\",\"schema\":"
                + schema + "}}}").body());
        assertThat(r.at("/choices/0/schema_validation/valid").asBoolean()).as(r.toString()).isTrue();
        assertThat(json.readTree(r.at("/choices/0/message/content").asString()).get("ok").isBoolean()).isTrue();
    }

    @Test
    void ragGroundsTheRemoteAnswerAndCitesItsSources() throws Exception {
        String collection = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/collections")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"handbook\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(collection).contains("handbook");
        HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/collections/handbook/documents"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"documents\": [{\"id\": \"leave\","
                        + "\"text\": \"Every employee gets thirty days of paid vacation per year.\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        String question = "{\"model\":\"remote\",\"max_tokens\":4,\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"How many vacation days do employees get?\"}]";
        JsonNode grounded = json.readTree(post(base, question + ",\"rag\":{\"collection\":\"handbook\"}}").body());
        JsonNode plain = json.readTree(post(base, question + "}").body());
        assertThat(grounded.at("/citations/0/document_id").asString()).as(grounded.toString()).isEqualTo("leave");
        // the passage reached the upstream's prompt
        assertThat(grounded.at("/usage/prompt_tokens").asInt()).isGreaterThan(plain.at("/usage/prompt_tokens").asInt() + 10);
    }

    @Test
    void embeddingsOfARemoteModelAreTheUpstreams() throws Exception {
        String input = ",\"input\":[\"hello world\",\"good morning\"]}";
        HttpResponse<String> via = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/embeddings")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"remote-embed\"" + input)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(via.statusCode()).as(via.body()).isEqualTo(200);
        JsonNode direct = json.readTree(upstream.post("/v1/embeddings", "{\"model\":\"default\"" + input).body());
        JsonNode answer = json.readTree(via.body());
        assertThat(answer.get("data")).isEqualTo(direct.get("data"));
        assertThat(answer.get("model").asString()).isEqualTo("remote-embed");
        // the upstream's 400 comes back as its 400
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/embeddings")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"remote-embed\",\"input\":\"x\",\"dimensions\":12}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).at("/error/param").asString()).isEqualTo("dimensions");
    }

    @Test
    void requestsAlternateBetweenIdleUpstreams() throws Exception {
        int a0 = a.chatRequests();
        int b0 = b.chatRequests();
        for (int i = 0; i < 4; i++) {
            assertThat(post(base, chat("remote", "")).statusCode()).isEqualTo(200);
        }
        assertThat(a.chatRequests() - a0).isPositive();
        assertThat(b.chatRequests() - b0).isPositive();
    }

    @Test
    void withOneUpstreamDownNoRequestFails() throws Exception {
        a.stop();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<HttpResponse<String>> call = () -> post(base, chat("remote", ""));
                results.add(pool.submit(call));
            }
            for (Future<HttpResponse<String>> f : results) {
                assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void concurrentLoadIsSpreadAndKillingOneUpstreamEndsOnlyItsStreams() throws Exception {
        int a0 = a.chatRequests();
        int b0 = b.chatRequests();
        long bBytes = b.answerBytes();
        List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
        try {
            // B dies once it has streamed 4000 bytes of chat answers: while its streams are live, however fast or
            // slow the machine. End of sequence (token 2) is banned, so every stream runs its 400 tokens (far more
            // than 4000 bytes): an answer that ended early on its own would leave nothing to cut.
            b.stopOnceAnswerBytesReach(bBytes + 4000);
            for (int i = 0; i < 6; i++) {
                streams.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat("remote",
                                ",\"max_tokens\":400,\"stream\":true,\"logit_bias\":{\"2\":-100}"))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // The wait is long because a loaded CI machine can be slow; it ends as soon as B is down.
            for (int i = 0; i < 6000 && !b.stopped(); i++) {
                Thread.sleep(10);
            }
            assertThat(b.stopped()).as("upstream B stopped after streaming 4000 bytes of chat answers").isTrue();
            int cut = 0;
            for (var f : streams) {
                List<String> events = events(f.get().body());
                if (events.getLast().equals("[DONE]")) {
                    continue;
                }
                cut++;
                assertThat(json.readTree(events.getLast()).at("/error/code").asString()).isEqualTo("upstream_error");
            }
            int onA = a.chatRequests() - a0;
            int onB = b.chatRequests() - b0;
            System.out.printf("6 concurrent streams: %d on upstream A, %d on upstream B; %d cut when B died%n", onA, onB, cut);
            assertThat(onA).isPositive();
            assertThat(onB).isPositive();
            assertThat(cut).isPositive().isLessThanOrEqualTo(onB);
        } finally {
            // Whatever failed above, no stream outlives this test to load the servers under the next one.
            b.stopOnceAnswerBytesReach(Long.MAX_VALUE);
            for (var f : streams) {
                f.cancel(true);
            }
        }
        // New requests all succeed, on the surviving upstream.
        int a1 = a.chatRequests();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = post(base, chat("remote", ""));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(a.chatRequests() - a1).isEqualTo(4);
    }

    @Test
    void anUpstreamDyingMidStreamEndsTheStreamWithAnErrorAndLosesItsTurn() throws Exception {
        b.stop();
        a.cutNextAnswerAfter(600); // past the headers and the first events
        String body = post(base, chat("remote", ",\"max_tokens\":40,\"stream\":true")).body();
        List<String> events = events(body);
        assertThat(events).isNotEmpty();
        assertThat(events).doesNotContain("[DONE]");
        assertThat(json.readTree(events.getLast()).at("/error/code").asString()).isEqualTo("upstream_error");
        JsonNode endpointA = endpoints().get(0);
        assertThat(endpointA.path("failed_calls").asInt()).isPositive();
    }

    @Test
    void withEveryUpstreamDownTheAnswerIsAClear503AndTheCircuitsOpen() throws Exception {
        a.stop();
        b.stop();
        // Every request fails fast with a 503 naming the cause; the failures add up until both circuits open
        // (their windows still hold the successes of earlier tests, so this takes a few requests).
        String last = "";
        for (int i = 0; i < 30 && !last.contains("circuit open"); i++) {
            HttpResponse<String> r = post(base, chat("remote", ""));
            assertThat(r.statusCode()).as(r.body() + " " + endpoints() + " relays " + a.describe() + " " + b.describe()).isEqualTo(503);
            assertThat(json.readTree(r.body()).at("/error/code").asString()).isEqualTo("upstream_unavailable");
            last = r.body();
        }
        assertThat(last).contains("circuit open");
        for (JsonNode e : endpoints()) {
            assertThat(e.path("healthy").asBoolean()).isFalse();
        }
        // @AfterEach brings both back and waits until their circuits have closed again
    }
}
