package dev.llmplatform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Boots the real application on a random port and talks to it over HTTP. */
class PlatformHttpIT {
    @TempDir
    static Path dir;

    static ConfigurableApplicationContext app;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Path model = Files.writeString(dir.resolve("tiny-model.gguf"), "placeholder");
        app = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1",
                "--llmp.home=" + dir.resolve("home"), "--llmp.models[0].path=" + model);
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertOpenAiError(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
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
    void modelsListsTheConfiguredModel() throws Exception {
        HttpResponse<String> r = get("/v1/models");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("object").asString()).isEqualTo("list");
        assertThat(body.get("data")).hasSize(1);
        assertThat(body.get("data").get(0).get("id").asString()).isEqualTo("tiny-model");
        assertThat(body.get("data").get(0).get("object").asString()).isEqualTo("model");
        assertThat(get("/v1/models/tiny-model").statusCode()).isEqualTo(200);
        assertOpenAiError(get("/v1/models/nope"), 404);
    }

    @Test
    void unknownRoutesGetOpenAiErrors() throws Exception {
        assertOpenAiError(get("/v1/does-not-exist"), 404);
        assertOpenAiError(post("/v1/nothing/here", "{}"), 404);
    }

    @Test
    void malformedJsonGetsA400() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\": \"tiny-model\", \"messages\": [");
        assertOpenAiError(r, 400);
        assertThat(json.readTree(r.body()).get("error").get("code").asString()).isEqualTo("invalid_json");
    }

    @Test
    void invalidRequestsNameTheParameter() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\": \"tiny-model\", \"messages\": []}");
        assertOpenAiError(r, 400);
        assertThat(json.readTree(r.body()).get("error").get("param").asString()).isEqualTo("messages");
        assertOpenAiError(post("/v1/chat/completions",
                "{\"model\": \"missing\", \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}]}"), 404);
    }

    @Test
    void adminConsoleIsServedWithItsAssets() throws Exception {
        HttpClient browserLike = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = browserLike.send(HttpRequest.newBuilder(URI.create(base + "/admin")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>LLM Platform").contains("admin.js");
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
