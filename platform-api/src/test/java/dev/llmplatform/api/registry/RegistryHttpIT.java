package dev.llmplatform.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.PlatformApplication;
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

/** The registry's REST endpoints on the real server, pulling from a fake hub named by {@code llmp.hub.endpoint}. */
class RegistryHttpIT {
    @TempDir
    static Path dir;

    static FakeHub hub;
    static byte[] model;
    static byte[] mismatched;
    static ConfigurableApplicationContext app;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        hub = new FakeHub();
        model = FakeHub.tinyGguf(dir, "x.gguf", 64 * 2000, 9); // ~512 KB
        hub.file("acme/Tiny-GGUF", "tiny-Q4_K_M.gguf", model);
        hub.file("acme/Tiny-GGUF", "other-Q8_0.gguf", FakeHub.tinyGguf(dir, "y.gguf", 64, 1));
        mismatched = FakeHub.tinyGguf(dir, "z.gguf", 64 * 50, 4);
        hub.file("acme/Bad-GGUF", "bad-Q4_0.gguf", mismatched);
        hub.reportSha("acme/Bad-GGUF", "bad-Q4_0.gguf", "0".repeat(64));
        app = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1",
                "--llmp.home=" + dir.resolve("home"), "--llmp.hub.endpoint=" + hub.endpoint());
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        hub.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a job until it finishes, returning every state seen (bounded: a hung job fails the test). */
    static java.util.List<JsonNode> awaitJob(String id) throws Exception {
        java.util.List<JsonNode> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> r = send("GET", "/v1/admin/models/pull/" + id, null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode job = json.readTree(r.body());
            seen.add(job);
            String status = job.get("status").asString();
            if (status.equals("succeeded") || status.equals("failed")) {
                return seen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("pull job " + id + " did not finish: " + seen.getLast());
    }

    @Test
    void pullThroughTheApiThenListAndDelete() throws Exception {
        hub.dropNextAfter.set(200_000); // the job resumes by itself after the dropped connection
        HttpResponse<String> started = send("POST", "/v1/admin/models/pull", "{\"model\":\"acme/Tiny-GGUF:q4_k_m\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json.readTree(started.body()).get("id").asString();

        var states = awaitJob(id);
        JsonNode done = states.getLast();
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.get("bytes").asLong()).isEqualTo(model.length);
        assertThat(done.get("total").asLong()).isEqualTo(model.length);
        assertThat(done.get("entry").get("sha256").asString()).isEqualTo(FakeHub.sha256(model));
        for (int i = 1; i < states.size(); i++) {
            assertThat(states.get(i).get("bytes").asLong()).isGreaterThanOrEqualTo(states.get(i - 1).get("bytes").asLong());
        }
        assertThat(hub.requestsTo("cdn")).anySatisfy(r -> assertThat(r.range()).startsWith("bytes="));
        assertThat(Files.readAllBytes(dir.resolve("home/models/tiny-Q4_K_M.gguf"))).isEqualTo(model);

        JsonNode list = json.readTree(send("GET", "/v1/admin/models/registry", null).body());
        assertThat(list.get("data")).anySatisfy(e -> {
            assertThat(e.get("name").asString()).isEqualTo("tiny-Q4_K_M");
            assertThat(e.get("architecture").asString()).isEqualTo("llama");
            assertThat(e.get("quantization").asString()).isEqualTo("Q4_K_M");
            assertThat(e.get("contextLength").asLong()).isEqualTo(2048);
            assertThat(e.get("verified").asBoolean()).isTrue();
        });

        HttpResponse<String> deleted = send("DELETE", "/v1/admin/models/registry/tiny-Q4_K_M", null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json.readTree(deleted.body()).get("deleted").asBoolean()).isTrue();
        assertThat(dir.resolve("home/models/tiny-Q4_K_M.gguf")).doesNotExist();
        assertOpenAiError(send("DELETE", "/v1/admin/models/registry/tiny-Q4_K_M", null), 404);
    }

    @Test
    void aHashMismatchFailsTheJobKeepsThePartialAndAddsNoModel() throws Exception {
        String body = "{\"model\":\"acme/Bad-GGUF:bad-Q4_0.gguf\"}";
        JsonNode failed = awaitJob(json.readTree(send("POST", "/v1/admin/models/pull", body).body()).get("id").asString()).getLast();
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("errorKind").asString()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(failed.get("error").asString()).contains("0".repeat(64)).contains(FakeHub.sha256(mismatched)).contains("kept");
        assertThat(Files.readAllBytes(dir.resolve("home/models/bad-Q4_0.gguf.part"))).isEqualTo(mismatched);
        assertThat(dir.resolve("home/models/bad-Q4_0.gguf")).doesNotExist();
        assertThat(json.readTree(send("GET", "/v1/admin/models/registry", null).body()).get("data").toString()).doesNotContain("bad-Q4_0");
        // The partial's metadata is in the state database, not in a sidecar file.
        assertThat(dir.resolve("home/models/bad-Q4_0.gguf.part.llmp")).doesNotExist();
    }

    @Test
    void failuresAreReportedOnTheJobOrAsOpenAiErrors() throws Exception {
        assertOpenAiError(send("POST", "/v1/admin/models/pull", "{}"), 400);
        assertOpenAiError(send("POST", "/v1/admin/models/pull", "{\"model\":\"no-slash\"}"), 400);
        assertOpenAiError(send("GET", "/v1/admin/models/pull/nope", null), 404);
        assertOpenAiError(send("DELETE", "/v1/admin/models/registry/.hidden", null), 400);

        HttpResponse<String> started = send("POST", "/v1/admin/models/pull", "{\"model\":\"acme/missing\"}");
        JsonNode failed = awaitJob(json.readTree(started.body()).get("id").asString()).getLast();
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("errorKind").asString()).isEqualTo("NOT_FOUND");
        assertThat(failed.get("error").asString()).contains("acme/missing").contains("404");
    }

    static void assertOpenAiError(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json.readTree(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception");
    }
}
