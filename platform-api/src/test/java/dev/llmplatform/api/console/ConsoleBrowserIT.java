package dev.llmplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmplatform.api.PlatformApplication;
import dev.llmplatform.api.registry.FakeHub;
import dev.llmplatform.engine.testing.SharedTestData;
import dev.llmplatform.structured.schema.SchemaValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The admin console in a real browser (headless Chromium) against the real server with authentication
 * on, a small reference model and a fake Hugging Face hub: each test drives one page the way an operator
 * would and checks what the page shows against what the API says. One server and one browser for all;
 * the tests run in order (sign-in first) and save a screenshot of every page under
 * {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    static final String ADMIN = "console-admin-key-0123456789abcdef";
    static final String SECRET = "AKIAQWERTYUIOPASDFGH"; // an AWS access key id: the "fast" policy blocks it
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static FakeHub hub;
    static ConfigurableApplicationContext app;
    static String base;
    static ConsoleBrowser browser;
    /** Set by the first test: the others need a signed-in console and fail at once without one. */
    static boolean signedIn;

    @BeforeAll
    static void start() throws Exception {
        ConsoleBrowser.requireInstalled();
        Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
        hub = new FakeHub();
        hub.file("acme/Tiny-GGUF", "tiny-Q4_K_M.gguf", FakeHub.tinyGguf(dir, "t.gguf", 64 * 4000, 3)); // ~1 MB
        hub.cdnBytesPerSecond = 400_000; // a few seconds, so the progress bar can be seen moving
        app = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1", "--llmp.home=" + dir.resolve("home"),
                "--LLMP_ADMIN_KEY=" + ADMIN, "--llmp.hub.endpoint=" + hub.endpoint(),
                "--llmp.models[0].id=tiny", "--llmp.models[0].path=" + model, "--llmp.models[0].parallel=2",
                "--llmp.models[0].ctx=1024", "--llmp.serving.threads=2", "--llmp.guardrails.policy=fast");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
        browser = ConsoleBrowser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode adminGet(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, ADMIN, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    WebElement $(String css) {
        return browser.visible(css);
    }

    void type(String css, String text) {
        WebElement e = $(css);
        e.clear();
        e.sendKeys(text);
    }

    @Test
    @Order(1)
    void signInWithAnAdminKeyKeptOutOfTheUrl() throws Exception {
        browser.driver.get(base + "/admin/");
        $("#signin-key");
        assertThat(browser.driver.findElement(By.id("app")).isDisplayed()).isFalse();
        browser.screenshot("sign-in");

        type("#signin-key", "not-a-key-at-all-0000");
        $("#signin-form button[type=submit]").click();
        assertThat(browser.<String>await("the refusal", d -> {
            String text = d.findElement(By.id("signin-error")).getText();
            return text.isEmpty() ? null : text;
        })).contains("not accepted");

        type("#signin-key", ADMIN);
        $("#signin-form button[type=submit]").click();
        $("#dashboard-models table");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(ADMIN);
        assertThat((String) browser.driver.executeScript("return sessionStorage.getItem('llmp.adminKey')")).isEqualTo(ADMIN);
        assertThat(browser.driver.findElement(By.id("dashboard-models")).getText()).contains("tiny").contains("llama");
        signedIn = true;
    }

    @Test
    @Order(2)
    void createACollectionDropADocumentAndQueryIt() throws Exception {
        assertThat(signedIn).as("the console was signed in by the first test").isTrue();
        browser.open(base, "collections", "Collections");
        type("#collection-name", "handbook");
        $("#collection-name").submit();
        browser.awaitView("Collection handbook");

        // A real drop event on the drop zone, carrying a file made in the page.
        browser.driver.executeScript("""
                const file = new File(['# Leave policy\\n\\nEvery employee gets thirty days of paid vacation per year. '
                  + 'Unused vacation days expire at the end of March.\\n'], 'leave-policy.md', {type: 'text/markdown'});
                const data = new DataTransfer();
                data.items.add(file);
                document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
                """);
        WebElement uploaded = $("#uploads li[data-file='leave-policy.md'][data-status='done']");
        assertThat(uploaded.getText()).contains("ingested").contains("1 chunks");
        assertThat(Double.parseDouble(uploaded.findElement(By.tagName("progress")).getDomProperty("value"))).isEqualTo(1.0);
        browser.await("the document in the list", d -> d.findElement(By.id("documents")).getText().contains("leave-policy"));
        assertThat(adminGet("/v1/collections/handbook").get("documents").asInt()).isEqualTo(1);

        type("#search-query", "how many vacation days do employees get");
        new Select($("#search-mode")).selectByValue("bm25");
        $("#search-query").submit();
        WebElement hit = $("#search-results .hit");
        assertThat(hit.getText()).contains("thirty days of paid vacation").contains("score");
        new Select($("#search-mode")).selectByValue("dense");
        $("#search-query").submit();
        browser.await("dense results", d -> d.findElement(By.id("search-results")).getText().contains("thirty days"));
        browser.screenshot("collection");

        browser.open(base, "collections", "Collections");
        browser.await("the collection in the list", d -> d.findElement(By.id("collections-list")).getText().contains("handbook"));
        browser.screenshot("collections");
    }

    @Test
    @Order(3)
    void pullAModelWithAMovingProgressBar() throws Exception {
        assertThat(signedIn).as("the console was signed in by the first test").isTrue();
        browser.open(base, "models", "Models");
        type("#pull-model", "acme/Tiny-GGUF:Q4_K_M");
        $("#pull-model").submit();
        WebElement bar = $("#pulls .pull progress");
        // Sample the bar's fraction as the download runs: it must pass through several values below 1.
        Set<Double> partial = new TreeSet<>();
        browser.await("the pull to finish", java.time.Duration.ofSeconds(60), d -> {
            String status = d.findElement(By.cssSelector("#pulls .pull")).getDomAttribute("data-status");
            double max = Double.parseDouble(bar.getDomProperty("max"));
            double value = Double.parseDouble(bar.getDomProperty("value"));
            if (value > 0 && value < max && max > 1) {
                partial.add(value / max);
                if (partial.size() == 2) {
                    try {
                        browser.screenshot("models-pulling");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            return "succeeded".equals(status) || "failed".equals(status) ? status : null;
        });
        assertThat(browser.driver.findElement(By.cssSelector("#pulls .pull")).getDomAttribute("data-status")).isEqualTo("succeeded");
        assertThat(partial).as("fractions seen while downloading").hasSizeGreaterThanOrEqualTo(2);
        assertThat($("#pulls .pull .pull-stats").getText()).contains("Done");
        browser.await("the registry row", d -> d.findElement(By.id("registry")).getText().contains("tiny-Q4_K_M"));
        assertThat(adminGet("/v1/admin/models/registry").get("data").get(0).get("name").asString()).isEqualTo("tiny-Q4_K_M");
        browser.screenshot("models");

        // The fake hub's file is a valid GGUF but no complete model: loading it fails with the server's reason, shown as such.
        $("button[aria-label='Load tiny-Q4_K_M']").click();
        WebElement refusal = $("#messages .note.error");
        assertThat(refusal.getText()).startsWith("Loading tiny-Q4_K_M: cannot load model").doesNotContain("HTTP 409");
        assertThat(adminGet("/v1/admin/models").get("data")).hasSize(1);
        WebElement delete = $("button[aria-label='Delete tiny-Q4_K_M']");
        delete.click();
        delete.click();
        browser.await("the emptied registry", d -> d.findElement(By.id("registry")).getText().contains("The registry is empty"));
        assertThat(adminGet("/v1/admin/models/registry").get("data")).isEmpty();
    }

    @Test
    @Order(4)
    void createEditAndRevokeAKey() throws Exception {
        assertThat(signedIn).as("the console was signed in by the first test").isTrue();
        browser.open(base, "keys", "API keys");
        type("#key-name", "ci-bot");
        new Select($("#new-models")).selectByValue("tiny");
        type("#new-rpm", "30");
        $("#key-create button[type=submit]").click();
        String secret = $("#secret-value").getDomProperty("value");
        assertThat(secret).isNotBlank();
        assertThat($("#copy-secret").isEnabled()).isTrue();
        browser.screenshot("keys-created");
        assertThat(call("GET", "/v1/models", secret, null).statusCode()).isEqualTo(200);

        JsonNode key = adminGet("/v1/admin/keys").get("data").valueStream().filter(k -> k.get("name").asString().equals("ci-bot")).findFirst().orElseThrow();
        String id = key.get("id").asString();
        assertThat(key.get("allowed_models").toString()).isEqualTo("[\"tiny\"]");
        assertThat(key.get("requests_per_minute").asInt()).isEqualTo(30);

        // Edit: a new token limit and the "fast" policy, through PATCH /v1/admin/keys/{id}.
        browser.await("the edit button", d -> d.findElement(By.cssSelector("button[aria-label='Edit ci-bot']"))).click();
        type("#edit-tpm", "5000");
        new Select($("#edit-policy")).selectByValue("fast");
        $("#key-edit button[type=submit]").click();
        browser.await("the saved limit", d -> d.findElement(By.id("keys-list")).getText().contains("5000"));
        JsonNode edited = adminGet("/v1/admin/keys/" + id);
        assertThat(edited.get("tokens_per_minute").asInt()).isEqualTo(5000);
        assertThat(edited.get("policy").asString()).isEqualTo("fast");
        assertThat(edited.get("requests_per_minute").asInt()).isEqualTo(30);

        WebElement revoke = browser.await("the revoke button", d -> d.findElement(By.cssSelector("button[aria-label='Revoke ci-bot']")));
        revoke.click();
        assertThat(revoke.getText()).startsWith("Confirm");
        revoke.click();
        browser.await("the revoked status", d -> d.findElement(By.cssSelector("[data-key='" + id + "']")).getText().startsWith("revoked"));
        assertThat(call("GET", "/v1/models", secret, null).statusCode()).isEqualTo(401);
        browser.screenshot("keys");
    }

    @Test
    @Order(5)
    void keySettingsEndpointRefusesBadInput() throws Exception {
        assertThat(call("PATCH", "/v1/admin/keys/nope", ADMIN, "{}").statusCode()).isEqualTo(404);
        JsonNode created = JSON.readTree(call("POST", "/v1/admin/keys", ADMIN, "{\"name\":\"patch-me\"}").body());
        String id = created.get("id").asString();
        HttpResponse<String> bad = call("PATCH", "/v1/admin/keys/" + id, ADMIN, "{\"policy\":\"no-such-policy\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/error/param").asString()).isEqualTo("policy");
        assertThat(call("PATCH", "/v1/admin/keys/" + id, ADMIN, "{\"requests_per_minute\":0}").statusCode()).isEqualTo(400);
        assertThat(call("PATCH", "/v1/admin/keys/" + id, created.get("key").asString(), "{}").statusCode()).isEqualTo(403);
        HttpResponse<String> cleared = call("PATCH", "/v1/admin/keys/" + id, ADMIN,
                "{\"allowed_collections\":[\"handbook\"],\"requests_per_minute\":7}");
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
        assertThat(JSON.readTree(cleared.body()).get("allowed_collections").toString()).isEqualTo("[\"handbook\"]");
        JsonNode reset = JSON.readTree(call("PATCH", "/v1/admin/keys/" + id, ADMIN, "{\"requests_per_minute\":null}").body());
        assertThat(reset.has("requests_per_minute")).isFalse();
        assertThat(reset.get("allowed_collections").toString()).isEqualTo("[\"handbook\"]");
    }

    /** Sets a checkbox by clicking it, and checks that the click took. */
    void setChecked(String css, boolean checked) {
        WebElement box = $(css);
        if (box.isSelected() != checked) {
            box.click();
        }
        assertThat(box.isSelected()).as(css + " checked").isEqualTo(checked);
    }

    /** Sends the playground's message and waits for its answer turn to end; returns that turn. */
    WebElement ask(String message) {
        int before = browser.driver.findElements(By.cssSelector("#pg-transcript .turn.assistant")).size();
        type("#pg-input", message);
        $("#pg-send").click();
        try {
            return browser.await("the answer", java.time.Duration.ofSeconds(90), d -> {
                List<WebElement> turns = d.findElements(By.cssSelector("#pg-transcript .turn.assistant"));
                if (turns.size() <= before) {
                    return null;
                }
                WebElement t = turns.getLast();
                return "running".equals(t.getDomAttribute("data-state")) ? null : t;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no answer to '" + message + "' within 90 s\n" + unansweredDiagnosis(), e);
        }
    }

    /**
     * What an unanswered playground question leaves behind, for a failure that cannot be re-run by hand: the
     * page (turns, whether the form would submit), the browser's console, the model's slots and the server's
     * request and engine threads (the server runs in this JVM).
     */
    String unansweredDiagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("page: ").append(browser.driver.executeScript("""
                    const form = document.getElementById('pg-form');
                    const invalid = [...form.elements].filter((e) => e.willValidate && !e.checkValidity())
                      .map((e) => e.id + '=' + JSON.stringify(e.value) + ' (' + e.validationMessage + ')');
                    const turns = [...document.querySelectorAll('#pg-transcript .turn')]
                      .map((t) => t.className + '[' + (t.dataset.state || '') + ']: ' + t.innerText.slice(0, 300));
                    return JSON.stringify({ invalid, sendDisabled: document.getElementById('pg-send').disabled,
                      json: document.getElementById('pg-json').checked, rag: document.getElementById('pg-rag').checked, turns });
                    """)).append('\n');
        } catch (RuntimeException e) {
            out.append("page: unreadable (").append(e.getMessage()).append(")\n");
        }
        out.append("browser console:\n").append(browser.consoleLog());
        try {
            out.append("models: ").append(adminGet("/v1/admin/models").get("data")).append('\n');
        } catch (Exception e) {
            out.append("models: unreadable (").append(e.getMessage()).append(")\n");
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            // The engine's threads, and request threads inside the platform's code (idle ones are not).
            if (thread.getName().startsWith("llmp-") || java.util.Arrays.stream(stack)
                    .anyMatch(f -> f.getClassName().startsWith("dev.llmplatform.") && !f.getClassName().contains(".console."))) {
                out.append("thread ").append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 14); i++) {
                    out.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return out.toString();
    }

    @Test
    @Order(6)
    void playgroundStreamsSchemaValidJsonAndRagCitations() throws Exception {
        assertThat(signedIn).as("the console was signed in by the first test").isTrue();
        browser.open(base, "playground", "Playground");
        // Count the answer's renderings: a streamed answer is drawn once per delta, not once at the end.
        browser.driver.executeScript("""
                window.answerUpdates = 0;
                new MutationObserver((records) => {
                  for (const r of records) if (r.target.closest && r.target.closest('.answer')) window.answerUpdates++;
                }).observe(document.getElementById('pg-transcript'), {childList: true, subtree: true, characterData: true});
                """);
        type("#pg-max-tokens", "24");
        WebElement turn = ask("Tell me a short story.");
        assertThat(turn.getDomAttribute("data-state")).isEqualTo("done");
        assertThat(turn.findElement(By.cssSelector(".answer")).getText()).isNotBlank();
        assertThat(((Number) browser.driver.executeScript("return window.answerUpdates")).intValue()).isGreaterThan(1);
        assertThat(turn.findElement(By.cssSelector(".turn-meta")).getText()).contains("first token after");

        // JSON-schema mode: the default schema in the editor, a seed, and the live indicator says valid.
        setChecked("#pg-json", true);
        assertThat($("#pg-schema-state").getText()).contains("valid JSON");
        type("#pg-max-tokens", "200");
        type("#pg-temperature", "1");
        type("#pg-seed", "7");
        turn = ask("A person, please.");
        assertThat(turn.getDomAttribute("data-state")).isEqualTo("done");
        WebElement verdict = turn.findElement(By.cssSelector(".validity"));
        assertThat(verdict.getDomAttribute("data-state")).as(verdict.getText()).isEqualTo("valid");
        String output = turn.findElement(By.cssSelector(".answer")).getText();
        String schema = (String) browser.driver.executeScript("return document.getElementById('pg-schema').value");
        assertThat(new SchemaValidator(schema).violations(output)).as(output).isEmpty();
        // A broken schema is reported in the editor and nothing is sent.
        browser.driver.executeScript("const s = document.getElementById('pg-schema'); s.value = '{\"type\": '; s.dispatchEvent(new Event('input'));");
        assertThat($("#pg-schema-state").getText()).startsWith("Schema:").doesNotContain("valid JSON");
        browser.screenshot("playground-json");
        setChecked("#pg-json", false);

        // RAG: citations rendered as links to the cited document in its collection.
        setChecked("#pg-rag", true);
        new Select($("#pg-collection")).selectByValue("handbook");
        type("#pg-max-tokens", "16");
        turn = ask("How many vacation days do employees get?");
        assertThat(turn.getDomAttribute("data-state")).isEqualTo("done");
        WebElement citation = turn.findElement(By.cssSelector(".citations a"));
        String documentId = adminGet("/v1/collections/handbook/documents").get("data").get(0).get("id").asString();
        assertThat(citation.getDomAttribute("href")).isEqualTo("#/collections/handbook?doc=" + documentId);
        browser.screenshot("playground");
        citation.click();
        browser.await("the cited document highlighted", d -> d.findElements(By.cssSelector("#documents tr.highlight")).stream()
                .anyMatch(r -> r.getText().contains("leave-policy")) ? true : null);
    }

    @Test
    @Order(7)
    void aBlockedPromptShowsAsAnErrorAndInTheAuditLog() throws Exception {
        assertThat(signedIn).as("the console was signed in by the first test").isTrue();
        browser.open(base, "playground", "Playground");
        WebElement turn = ask("my key is " + SECRET + " keep it");
        assertThat(turn.getDomAttribute("data-state")).isEqualTo("error");
        assertThat(turn.findElement(By.cssSelector(".error")).getText()).contains("AWS_ACCESS_KEY").doesNotContain(SECRET);

        browser.open(base, "guardrails", "Guardrails");
        new Select($("#audit-action")).selectByValue("block");
        $("#audit-filters button[type=submit]").click();
        // Read as text within the wait: the table is drawn again when the filtered page arrives.
        String row = browser.await("the block in the audit log", d -> d.findElements(By.cssSelector("#audit-log tbody tr")).stream()
                .map(WebElement::getText).filter(t -> t.contains("AWS_ACCESS_KEY")).findFirst().orElse(null));
        assertThat(row).contains("block").contains("input").doesNotContain(SECRET);
        assertThat(browser.driver.findElement(By.cssSelector("main")).getText()).contains("fast");
        browser.screenshot("guardrails");
    }

    @Test
    @Order(8)
    void dashboardChartsFollowTheMetrics() throws Exception {
        assertThat(signedIn).as("the console was signed in by the first test").isTrue();
        // An operator moving on before a view has loaded: the views left behind must not draw into the next.
        browser.driver.executeScript("""
                window.inflight = 0;
                const send = window.fetch;
                window.fetch = (...args) => { window.inflight++; return send(...args).finally(() => window.inflight--); };
                location.hash = '#/playground';
                setTimeout(() => { location.hash = '#/models'; setTimeout(() => { location.hash = '#/dashboard'; }, 0); }, 0);
                """);
        browser.awaitView("Dashboard");
        browser.await("the loaded model on the dashboard", d -> $("#dashboard-models").getText().contains("Q8_0") ? true : null);
        browser.await("the skipped views' requests answered", d -> (Boolean) browser.driver.executeScript("return window.inflight === 0"));
        assertThat(browser.driver.findElements(By.cssSelector("main h1"))).hasSize(1);
        assertThat(browser.driver.findElements(By.id("pg-form"))).isEmpty();
        browser.await("the first scrape", d -> d.findElement(By.id("metrics-status")).getText().startsWith("Updated"));
        // Traffic while the page watches: the tokens/s chart must rise above zero.
        HttpResponse<String> chat = call("POST", "/v1/chat/completions", ADMIN,
                "{\"model\":\"tiny\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"Count to ten.\"}]}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        WebElement tokens = $("figure[data-metric='Tokens/s']");
        browser.await("tokens/s above zero", d -> tokens.findElement(By.cssSelector(".hint")).getText().matches("max [0-9.]*[1-9][0-9.]* over .*") ? true : null);
        String totals = $("#metrics-totals").getText();
        // Tokens were generated and one prompt was blocked by the earlier tests; the page read them from Prometheus.
        assertThat(totals).containsPattern("Since start: [1-9][0-9]* completion tokens, [1-9][0-9]* guardrail blocks");
        assertThat(browser.driver.findElements(By.cssSelector(".chart"))).hasSize(8);
        browser.screenshot("dashboard");
    }
}
