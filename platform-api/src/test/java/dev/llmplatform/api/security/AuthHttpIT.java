package dev.llmplatform.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.api.metrics.PlatformMetrics;
import dev.llmplatform.structured.GrammarCache;
import dev.llmplatform.api.ratelimit.UsageRecorder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The real server with authentication on (LLMP_ADMIN_KEY), short rate-limit windows, a small body limit
 * and CORS for one origin: key lifecycle, roles, rate limits, hygiene, metrics and the API description.
 */
class AuthHttpIT {
    static final String ADMIN = "admin-secret-for-tests-0123456789";

    @TempDir
    static Path dir;

    static ConfigurableApplicationContext app;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        app = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1",
                "--llmp.home=" + dir.resolve("home"), "--LLMP_ADMIN_KEY=" + ADMIN,
                "--llmp.rate-limits.window=2s", "--llmp.limits.max-body-bytes=2048",
                "--llmp.cors.allowed-origins=https://app.example.com");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
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

    static JsonNode assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json.readTree(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.has("type") && error.has("param") && error.has("code")).isTrue();
        if (code != null) {
            assertThat(error.get("code").asString()).isEqualTo(code);
        }
        assertThat(r.body()).doesNotContain("Exception");
        return error;
    }

    static JsonNode createKey(String body) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/admin/keys", ADMIN, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body());
    }

    @Test
    void keyLifecycleCreateUseRevoke() throws Exception {
        JsonNode created = createKey("{\"name\":\"ci\",\"role\":\"user\",\"allowed_models\":[\"m1\"]}");
        String secret = created.get("key").asString();
        String id = created.get("id").asString();
        assertThat(secret).startsWith("llmp-").hasSizeGreaterThan(40);
        assertThat(created.get("allowed_models").get(0).asString()).isEqualTo("m1");

        assertThat(send("GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);
        // The same key as X-Api-Key.
        HttpResponse<String> viaHeader = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                .header("X-Api-Key", secret).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(viaHeader.statusCode()).isEqualTo(200);

        // Listings and the single view never show the secret again.
        String list = send("GET", "/v1/admin/keys", ADMIN, null).body();
        assertThat(list).contains(id).doesNotContain(secret);
        assertThat(send("GET", "/v1/admin/keys/" + id, ADMIN, null).body()).doesNotContain(secret);

        HttpResponse<String> revoked = send("DELETE", "/v1/admin/keys/" + id, ADMIN, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json.readTree(revoked.body()).get("deleted").asBoolean()).isTrue();
        assertError(send("GET", "/v1/models", secret, null), 401, "invalid_api_key");
        assertThat(json.readTree(send("GET", "/v1/admin/keys/" + id, ADMIN, null).body()).get("revoked_at").isNumber()).isTrue();
        assertError(send("DELETE", "/v1/admin/keys/key_0000000000000000", ADMIN, null), 404, "key_not_found");
    }

    @Test
    void missingOrWrongKeysAre401() throws Exception {
        HttpResponse<String> missing = send("GET", "/v1/models", null, null);
        assertError(missing, 401, "missing_api_key");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
        assertError(send("GET", "/v1/models", "llmp-not-a-real-key", null), 401, "invalid_api_key");
        assertError(send("POST", "/v1/chat/completions", null, "{}"), 401, "missing_api_key");
        // Health stays public.
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void userKeysCannotUseAdminRoutes() throws Exception {
        String user = createKey("{\"name\":\"user\"}").get("key").asString();
        assertError(send("GET", "/v1/admin/keys", user, null), 403, "insufficient_role");
        assertError(send("POST", "/v1/admin/keys", user, "{\"name\":\"escalate\",\"role\":\"admin\"}"), 403, "insufficient_role");
        assertError(send("GET", "/actuator/prometheus", user, null), 403, "insufficient_role");
        String admin = createKey("{\"name\":\"second admin\",\"role\":\"admin\"}").get("key").asString();
        assertThat(send("GET", "/v1/admin/keys", admin, null).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidKeyRequestsAre400WithTheParameter() throws Exception {
        assertThat(assertError(send("POST", "/v1/admin/keys", ADMIN, "{\"role\":\"user\"}"), 400, null)
                .get("param").asString()).isEqualTo("name");
        assertThat(assertError(send("POST", "/v1/admin/keys", ADMIN, "{\"name\":\"x\",\"role\":\"root\"}"), 400, null)
                .get("param").asString()).isEqualTo("role");
        assertThat(assertError(send("POST", "/v1/admin/keys", ADMIN, "{\"name\":\"x\",\"requests_per_minute\":0}"), 400, null)
                .get("param").asString()).isEqualTo("requests_per_minute");
    }

    @Test
    void requestLimitGives429WithHeadersThenRefills() throws Exception {
        // 3 requests per 2 s window: one request comes back every ~0.67 s.
        String key = createKey("{\"name\":\"limited\",\"requests_per_minute\":3}").get("key").asString();
        HttpResponse<String> first = send("GET", "/v1/models", key, null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2");
        assertThat(first.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()).matches("\\d+(\\.\\d+)?m?s");
        HttpResponse<String> limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            HttpResponse<String> r = send("GET", "/v1/models", key, null);
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(limited).as("a 429 within 20 requests").isNotNull();
        assertError(limited, 429, "rate_limit_exceeded");
        assertThat(json.readTree(limited.body()).get("error").get("type").asString()).isEqualTo("requests");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 1L);
        assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        Thread.sleep(retryAfter * 1000);
        assertThat(send("GET", "/v1/models", key, null).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenLimitIsCheckedBeforeAndChargedAfter() throws Exception {
        JsonNode created = createKey("{\"name\":\"tokens\",\"tokens_per_minute\":100}");
        String key = created.get("key").asString();
        HttpResponse<String> before = send("GET", "/v1/models", key, null);
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("100");
        assertThat(before.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("100");

        // What a controller does after generating: 70 prompt + 80 completion tokens overdraw the bucket.
        MockHttpServletRequest generation = new MockHttpServletRequest();
        generation.setAttribute(KeyPrincipal.ATTRIBUTE, app.getBean(ApiKeyStore.class)
                .find(created.get("id").asString()).orElseThrow().principal());
        app.getBean(UsageRecorder.class).record(generation, 70, 80);

        HttpResponse<String> after = send("GET", "/v1/models", key, null);
        assertError(after, 429, "rate_limit_exceeded");
        assertThat(json.readTree(after.body()).get("error").get("type").asString()).isEqualTo("tokens");
        assertThat(after.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("0");
        assertThat(after.headers().firstValue("Retry-After")).isPresent();
        JsonNode usage = json.readTree(send("GET", "/v1/admin/keys/" + created.get("id").asString(), ADMIN, null).body()).get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(70);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(80);
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        String big = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(3000) + "\"}]}";
        assertError(send("POST", "/v1/chat/completions", ADMIN, big), 413, "request_too_large");
        // Chunked (no Content-Length): read up to the limit, then refused.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "request_too_large");
        // A small chunked body still reaches the controller (which answers 404 for the unknown model).
        String small = "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> smallChunked = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(smallChunked, 404, "model_not_found");
    }

    @Test
    void securityHeadersRequestIdAndCors() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/models", ADMIN, null);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("x-request-id").orElseThrow()).startsWith("req_");
        HttpResponse<String> console = send("GET", "/admin/", null, null);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                .header("X-Request-Id", "client-42").header("X-Api-Key", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echoed.headers().firstValue("x-request-id")).hasValue("client-42");

        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        HttpResponse<String> otherOrigin = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.org").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void requestLogIsOneJsonLinePerRequestWithoutPromptText(CapturedOutput output) throws Exception {
        String prompt = "my-confidential-prompt-text-" + System.nanoTime();
        HttpResponse<String> r = send("POST", "/v1/chat/completions", ADMIN,
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
        String id = r.headers().firstValue("x-request-id").orElseThrow();
        String line = output.getOut().lines().filter(l -> l.contains("llmp.requests") && l.contains(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no request log line for " + id + " in:\n" + output.getOut()));
        JsonNode logged = json.readTree(line.substring(line.indexOf('{')));
        assertThat(logged.get("route").asString()).isEqualTo("/v1/chat/completions");
        assertThat(logged.get("status").asInt()).isEqualTo(404);
        assertThat(logged.get("key_id").asString()).isEqualTo("env-admin");
        assertThat(logged.get("latency_ms").isNumber()).isTrue();
        assertThat(output.getAll()).doesNotContain(prompt);
    }

    @Test
    void prometheusScrapeHasThePlatformMeters() throws Exception {
        PlatformMetrics metrics = app.getBean(PlatformMetrics.class);
        metrics.requestTokens("m1", 12, 34);
        metrics.timeToFirstToken("m1", Duration.ofMillis(150));
        metrics.interTokenLatency("m1", Duration.ofMillis(20));
        metrics.embeddings("minilm", 5);
        metrics.guardrailDecision("pii", "redact");
        metrics.ingested("handbook", 7);
        var grammarCache = new GrammarCache.Stats(7, 2, 1, 1, 64, 1.5, 0.25);
        try (var gauges = metrics.registerServingGauges("m1", () -> 3, () -> 2, () -> 0.25, () -> 0.5, () -> grammarCache)) {
            send("GET", "/v1/models", "llmp-wrong", null);
            HttpResponse<String> scrape = send("GET", "/actuator/prometheus", ADMIN, null);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(
                    "llmp_tokens_prompt_tokens_total{model=\"m1\"} 12.0",
                    "llmp_tokens_completion_tokens_total{model=\"m1\"} 34.0",
                    "llmp_time_to_first_token_seconds_bucket{model=\"m1\"",
                    "llmp_inter_token_latency_seconds_bucket{model=\"m1\"",
                    "llmp_embeddings_total{model=\"minilm\"} 5.0",
                    "llmp_guardrail_decisions_total{action=\"redact\",category=\"pii\"} 1.0",
                    "llmp_ingest_chunks_total{collection=\"handbook\"} 7.0",
                    "llmp_queue_depth{model=\"m1\"} 3.0",
                    "llmp_sequences_active{model=\"m1\"} 2.0",
                    "llmp_kv_cache_usage_ratio{model=\"m1\"} 0.25",
                    "llmp_prefix_cache_hit_ratio{model=\"m1\"} 0.5",
                    "llmp_grammar_cache_hits_total{model=\"m1\"} 7.0",
                    "llmp_grammar_cache_misses_total{model=\"m1\"} 2.0",
                    "llmp_grammar_cache_evictions_total{model=\"m1\"} 1.0",
                    "llmp_grammar_cache_size{model=\"m1\"} 1.0",
                    "llmp_grammar_compile_seconds_total{model=\"m1\"} 1.5",
                    "llmp_grammar_precompute_seconds_total{model=\"m1\"} 0.25",
                    "llmp_auth_failures_total{reason=\"invalid_api_key\"}",
                    "http_server_requests_seconds_count{");
        }
        assertThat(send("GET", "/actuator/prometheus", ADMIN, null).body()).doesNotContain("llmp_queue_depth{model=\"m1\"}")
                .doesNotContain("llmp_grammar_cache_hits_total{model=\"m1\"}");
        assertError(send("GET", "/actuator/prometheus", null, null), 401, "missing_api_key");
    }

    @Test
    void apiDocsDescribeEveryRoute() throws Exception {
        HttpResponse<String> r = send("GET", "/v3/api-docs", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode docs = json.readTree(r.body());
        assertThat(docs.get("openapi").asString()).startsWith("3.");
        Set<String> documented = new TreeSet<>(docs.get("paths").propertyNames());
        Set<String> routes = new TreeSet<>();
        app.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods()
                .forEach((info, method) -> {
                    if (method.getBeanType().isAnnotationPresent(RestController.class)) {
                        info.getPatternValues().stream().filter(p -> p.startsWith("/v1")).forEach(routes::add);
                    }
                });
        assertThat(routes).contains("/v1/admin/keys", "/v1/admin/keys/{id}", "/v1/models", "/v1/chat/completions");
        assertThat(documented).containsAll(routes);
        assertThat(docs.get("info").get("description").asString()).contains("rag", "grammar", "citations");
        assertThat(docs.get("components").get("securitySchemes").has("bearer")).isTrue();
        HttpClient noRedirects = HttpClient.newHttpClient();
        HttpResponse<String> ui = noRedirects.send(HttpRequest.newBuilder(URI.create(base + "/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(302);
        assertThat(ui.headers().firstValue("Location").orElseThrow()).contains("swagger-ui");
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base + "/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger");
    }

    /** Runs the CLI, returning its standard output; fails on a non-zero exit. */
    static String cli(String... args) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = dev.llmplatform.api.cli.Llmp.run(args);
        } finally {
            System.setOut(original);
        }
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        return text;
    }

    @Test
    void cliManagesKeysThroughTheRunningServer() throws Exception {
        String created = cli("keys", "create", "--url", base, "--api-key", ADMIN, "--name", "from cli", "--model", "m2");
        java.util.List<String> lines = created.lines().toList();
        JsonNode key = json.readTree(lines.get(lines.size() - 1));
        String secret = key.get("key").asString();
        assertThat(created).contains("    " + secret);
        assertThat(send("GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);
        assertThat(cli("keys", "list", "--url", base, "--api-key", ADMIN)).contains(key.get("id").asString()).doesNotContain(secret);
        cli("keys", "revoke", "--url", base, "--api-key", ADMIN, key.get("id").asString());
        assertError(send("GET", "/v1/models", secret, null), 401, "invalid_api_key");
        // A user key cannot manage keys: the server's message comes through as one line.
        java.io.PrintStream originalErr = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = dev.llmplatform.api.cli.Llmp.run("keys", "list", "--url", base, "--api-key", "llmp-wrong");
        } finally {
            System.setErr(originalErr);
        }
        assertThat(code).isNotZero();
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("HTTP 401").doesNotContain("Exception");
    }
}
