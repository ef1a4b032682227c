package dev.llmplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Talks to the real application (the shared {@link TestServer}) over plain HTTP: routes, errors, the console. */
class PlatformHttpIT {
    static TestServer server;
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return server.post(path, body);
    }

    static void assertOpenAiError(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json.readTree(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> r = get("/actuator/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void modelsListsTheConfiguredModelsAndTheEmbeddingModel() throws Exception {
        HttpResponse<String> r = get("/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("object").asString()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        body.get("data").forEach(m -> ids.add(m.get("id").asString()));
        assertThat(ids).containsExactlyInAnyOrder(TestServer.MODEL, TestServer.SINGLE, "default");
        assertThat(body.get("data").get(0).get("object").asString()).isEqualTo("model");
        assertThat(get("/v1/models/" + TestServer.MODEL).statusCode()).isEqualTo(200);
        assertThat(get("/v1/models/default").statusCode()).isEqualTo(200);
        assertOpenAiError(get("/v1/models/nope"), 404);
    }

    @Test
    void unknownRoutesGetOpenAiErrors() throws Exception {
        assertOpenAiError(get("/v1/does-not-exist"), 404);
        assertOpenAiError(post("/v1/nothing/here", "{}"), 404);
    }

    @Test
    void malformedJsonGetsA400() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": [");
        assertOpenAiError(r, 400);
        assertThat(json.readTree(r.body()).get("error").get("code").asString()).isEqualTo("invalid_json");
    }

    @Test
    void invalidRequestsNameTheParameter() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\": \"tiny\", \"messages\": []}");
        assertOpenAiError(r, 400);
        assertThat(json.readTree(r.body()).get("error").get("param").asString()).isEqualTo("messages");
        assertOpenAiError(post("/v1/chat/completions",
                "{\"model\": \"missing\", \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}]}"), 404);
    }

    @Test
    void adminConsoleIsServedWithItsAssets() throws Exception {
        HttpClient browserLike = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = browserLike.send(HttpRequest.newBuilder(URI.create(server.base + "/admin")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>LLM Platform").contains("js/main.js");
        // Resolve the page's asset references the way a browser does, against the final URL.
        var refs = java.util.regex.Pattern.compile("(?:src|href)=\"([^\":]+)\"").matcher(page.body());
        int assets = 0;
        while (refs.find()) {
            URI asset = page.uri().resolve(refs.group(1));
            assertThat(browserLike.send(HttpRequest.newBuilder(asset).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as(asset.toString()).isEqualTo(200);
            assets++;
        }
        assertThat(assets).isGreaterThanOrEqualTo(2);
    }
}
