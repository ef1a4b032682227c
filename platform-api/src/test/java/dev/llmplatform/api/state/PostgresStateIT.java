package dev.llmplatform.api.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.guardrails.Guardrails;
import dev.llmplatform.guardrails.RequestContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The state database on a real PostgreSQL (issue #18): the same Flyway migrations as the embedded H2, and
 * two API nodes (two servers in this JVM) on one database sharing keys, the audit trail and one rate
 * limit per key. Each run works in a schema of its own, dropped at the end.
 */
class PostgresStateIT {
    static final String ADMIN = "llmp-postgres-it-admin-key-0123456789";
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestPostgres pg;
    static String schema;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    @BeforeAll
    static void start() {
        pg = TestPostgres.require();
        schema = "llmp_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        nodeA = node("a");
        nodeB = node("b");
    }

    static ConfigurableApplicationContext node(String name) {
        return PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1", "--llmp.home=" + dir.resolve(name),
                "--spring.datasource.url=" + pg.urlWithSchema(schema), "--spring.datasource.username=" + pg.user(),
                "--spring.datasource.password=" + pg.password(), "--spring.flyway.schemas=" + schema,
                "--LLMP_ADMIN_KEY=" + ADMIN, "--llmp.rate-limits.shared=true",
                // a long window: no refill can blur the count while the test runs on a slow machine
                "--llmp.rate-limits.window=10m");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        if (pg != null) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    static HttpResponse<String> send(ConfigurableApplicationContext node, String method, String path, String key, String body)
            throws Exception {
        String base = "http://127.0.0.1:" + ((WebServerApplicationContext) node).getWebServer().getPort();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode createKey(String body) throws Exception {
        HttpResponse<String> r = send(nodeA, "POST", "/v1/admin/keys", ADMIN, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body());
    }

    @Test
    void everyMigrationRanOnPostgres() throws Exception {
        List<String> versions = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version FROM " + schema + ".flyway_schema_history WHERE success ORDER BY installed_rank")) {
                while (rs.next()) {
                    versions.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        assertThat(versions).containsSubsequence("1", "2", "3", "4", "5", "6");
        assertThat(tables).contains("api_keys", "api_key_scopes", "model_files", "collections", "guardrail_events", "file_imports",
                "rate_limit_buckets");
    }

    @Test
    void aKeyCreatedOnOneNodeWorksOnBothUntilRevoked() throws Exception {
        JsonNode created = createKey("{\"name\":\"shared\",\"role\":\"user\"}");
        String secret = created.get("key").asString();
        assertThat(send(nodeA, "GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);
        assertThat(send(nodeB, "GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);
        assertThat(send(nodeB, "GET", "/v1/admin/keys", ADMIN, null).body()).contains(created.get("id").asString());

        assertThat(send(nodeA, "DELETE", "/v1/admin/keys/" + created.get("id").asString(), ADMIN, null).statusCode()).isEqualTo(200);
        // Every request looks its key up in the database: the revocation holds on the other node at once.
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            HttpResponse<String> refused = send(node, "GET", "/v1/models", secret, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(json.readTree(refused.body()).get("error").get("code").asString()).isEqualTo("invalid_api_key");
        }
    }

    @Test
    void twoNodesEnforceOneRateLimitPerKey() throws Exception {
        String key = createKey("{\"name\":\"limited\",\"requests_per_minute\":4}").get("key").asString();
        // Alternating nodes draw from one bucket: the remaining count falls across both.
        List<String> remaining = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB, nodeA, nodeB)) {
            HttpResponse<String> r = send(node, "GET", "/v1/models", key, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            remaining.add(r.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        }
        assertThat(remaining).containsExactly("3", "2", "1", "0");
        for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
            HttpResponse<String> limited = send(node, "GET", "/v1/models", key, null);
            assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        }
    }

    @Test
    void theAuditTrailIsShared() throws Exception {
        nodeA.getBean(Guardrails.class).session("fast", new RequestContext("key-on-a", "/v1/chat/completions"))
                .checkInput("Mail dana@example.com the invoice.");
        JsonNode events = json.readTree(send(nodeB, "GET", "/v1/admin/guardrails/events?category=PII", ADMIN, null).body());
        assertThat(events.get("data")).anySatisfy(e -> assertThat(e.get("key_id").asString()).isEqualTo("key-on-a"));
    }
}
