package dev.llmplatform.api.rag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.engine.testing.SharedTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The collections API over real HTTP against the real application, with the data home in a temporary directory. */
@SpringBootTest(classes = PlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CollectionsHttpIT {
    private static final Path HOME = tempHome();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("llmp.home", HOME::toString);
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("spring.servlet.multipart.max-file-size", () -> "512KB");
    }

    private static Path tempHome() {
        try {
            return Files.createTempDirectory("llmp-rag-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(HOME)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void collectionLifecycleDocumentsAndSearch() throws Exception {
        JsonNode created = ok(post("/v1/collections", "{\"name\": \"handbook\"}"));
        assertThat(created.get("name").asString()).isEqualTo("handbook");
        assertThat(created.get("embedding_model").asString()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(created.get("dimension").asInt()).isEqualTo(384);
        assertThat(Files.isDirectory(HOME.resolve("collections").resolve("handbook"))).isTrue();
        assertError(post("/v1/collections", "{\"name\": \"handbook\"}"), 409);
        assertError(post("/v1/collections", "{\"name\": \"../evil\"}"), 400);

        JsonNode added = ok(post("/v1/collections/handbook/documents", """
                {"documents": [
                  {"id": "leave", "title": "Annual leave", "text": "Every employee gets thirty days of paid vacation per year.", "metadata": {"dept": "hr", "year": 2024}},
                  {"id": "travel", "title": "Travel", "text": "Book flights through the travel desk; economy class under six hours.", "metadata": {"dept": "finance", "year": 2022}}
                ]}"""));
        assertThat(added.get("chunks").asInt()).isEqualTo(2);

        Path md = SharedTestData.require("documents/systemd-distro-porting.md");
        JsonNode uploaded = ok(upload("/v1/collections/handbook/documents", "systemd-distro-porting.md",
                Files.readAllBytes(md), "text/markdown", "systemd", "{\"tags\": [\"linux\"]}"));
        assertThat(uploaded.get("documents").get(0).get("id").asString()).isEqualTo("systemd");

        JsonNode hits = ok(post("/v1/collections/handbook/search",
                "{\"query\": \"how many vacation days\", \"mode\": \"hybrid\", \"top_k\": 2}"));
        assertThat(hits.get("data").get(0).get("document_id").asString()).isEqualTo("leave");
        assertThat(hits.get("data").get(0).get("title").asString()).isEqualTo("Annual leave");
        JsonNode filtered = ok(post("/v1/collections/handbook/search",
                "{\"query\": \"vacation\", \"mode\": \"dense\", \"top_k\": 5, \"filter\": {\"year\": {\"$lt\": 2023}}}"));
        assertThat(filtered.get("data")).hasSize(1);
        assertThat(filtered.get("data").get(0).get("document_id").asString()).isEqualTo("travel");
        JsonNode tagged = ok(post("/v1/collections/handbook/search",
                "{\"query\": \"porting to a distribution\", \"mode\": \"bm25\", \"filter\": {\"tags\": \"linux\"}}"));
        assertThat(tagged.get("data").get(0).get("document_id").asString()).isEqualTo("systemd");
        assertError(post("/v1/collections/handbook/search", "{\"query\": \"x\", \"mode\": \"fuzzy\"}"), 400);
        assertError(post("/v1/collections/handbook/search", "{\"query\": \"x\", \"filter\": {\"a\": {\"$regex\": 1}}}"), 400);
        assertError(post("/v1/collections/nope/search", "{\"query\": \"x\"}"), 404);

        JsonNode page = ok(get("/v1/collections/handbook/documents?offset=0&limit=2"));
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("data")).hasSize(2);
        assertThat(page.get("data").get(0).get("id").asString()).isEqualTo("leave");
        JsonNode described = ok(get("/v1/collections/handbook"));
        assertThat(described.get("documents").asInt()).isEqualTo(3);

        assertThat(ok(delete("/v1/collections/handbook/documents/travel")).get("deleted").asBoolean()).isTrue();
        assertError(delete("/v1/collections/handbook/documents/travel"), 404);
        assertThat(ok(get("/v1/collections/handbook")).get("documents").asInt()).isEqualTo(2);

        assertThat(ok(get("/v1/collections")).get("data").get(0).get("name").asString()).isEqualTo("handbook");
        assertThat(ok(delete("/v1/collections/handbook")).get("deleted").asBoolean()).isTrue();
        assertError(get("/v1/collections/handbook"), 404);
    }

    @Test
    void badUploadsAreRefusedAndLeaveTheCollectionUnchanged() throws Exception {
        ok(post("/v1/collections", "{\"name\": \"strict\"}"));
        ok(post("/v1/collections/strict/documents", "{\"documents\": [{\"id\": \"one\", \"text\": \"The only document.\"}]}"));
        JsonNode before = ok(get("/v1/collections/strict"));

        assertError(upload("/v1/collections/strict/documents", "broken.pdf",
                "%PDF-1.4\nthis is not really a pdf".getBytes(StandardCharsets.UTF_8), "application/pdf", null, null), 400);
        assertError(upload("/v1/collections/strict/documents", "data.xyz",
                "whatever".getBytes(StandardCharsets.UTF_8), "application/octet-stream", null, null), 400);
        assertError(upload("/v1/collections/strict/documents", "empty.txt", new byte[0], "text/plain", null, null), 400);
        assertError(upload("/v1/collections/strict/documents", "huge.txt",
                "word ".repeat(200_000).getBytes(StandardCharsets.UTF_8), "text/plain", null, null), 413);
        assertError(post("/v1/collections/strict/documents", "{\"documents\": [{\"id\": \"x\"}]}"), 400);

        JsonNode after = ok(get("/v1/collections/strict"));
        assertThat(after.get("documents").asInt()).isEqualTo(before.get("documents").asInt());
        assertThat(after.get("chunks").asInt()).isEqualTo(before.get("chunks").asInt());
    }

    @Test
    void asyncUploadIsAJobWithProgress() throws Exception {
        ok(post("/v1/collections", "{\"name\": \"jobs\"}"));
        Path pdf = SharedTestData.require("documents/shared-mime-info-spec.pdf");
        HttpResponse<String> accepted = upload("/v1/collections/jobs/documents?async=true", "shared-mime-info-spec.pdf",
                Files.readAllBytes(pdf), "application/pdf", "mime", null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = JSON.readTree(accepted.body()).get("id").asString();
        JsonNode job;
        long deadline = System.nanoTime() + 180_000_000_000L;
        do {
            Thread.sleep(200);
            job = ok(get("/v1/collections/jobs/jobs/" + jobId));
        } while (!job.get("status").asString().matches("succeeded|failed") && System.nanoTime() < deadline);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.get("progress").get("documents_done").asInt()).isEqualTo(1);
        assertThat(job.get("progress").get("chunks").asInt()).isGreaterThan(10);
        JsonNode hit = ok(post("/v1/collections/jobs/search",
                "{\"query\": \"Where are the MIME database files installed?\", \"top_k\": 1}")).get("data").get(0);
        assertThat(hit.get("document_id").asString()).isEqualTo("mime");
        assertThat(hit.get("page").asInt()).isPositive();
        assertError(get("/v1/collections/jobs/jobs/ingest_nope"), 404);
    }

    private JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.has("type") && error.has("param") && error.has("code")).isTrue();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> upload(String path, String fileName, byte[] content, String type, String id,
                                        String metadata) throws Exception {
        String boundary = "llmp" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (id != null) {
            part(body, boundary, "Content-Disposition: form-data; name=\"id\"\r\n\r\n", id.getBytes(StandardCharsets.UTF_8));
        }
        if (metadata != null) {
            part(body, boundary, "Content-Disposition: form-data; name=\"metadata\"\r\n\r\n", metadata.getBytes(StandardCharsets.UTF_8));
        }
        part(body, boundary, "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\nContent-Type: "
                + type + "\r\n\r\n", content);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) throws IOException {
        body.write(("--" + boundary + "\r\n" + headers).getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
