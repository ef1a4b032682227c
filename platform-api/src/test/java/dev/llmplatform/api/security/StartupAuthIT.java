package dev.llmplatform.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmplatform.api.PlatformApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** How authentication is decided at start: the binding rule, the generated bootstrap key, the first key. */
class StartupAuthIT {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> send(ConfigurableApplicationContext app, String method, String path, String key, String body)
            throws Exception {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void publicAddressWithoutKeysRefusesToStart() {
        // Fails while the context is built, before the web server binds anything.
        assertThatThrownBy(() -> PlatformApplication.start("--server.port=0", "--server.address=0.0.0.0",
                "--llmp.home=" + dir))
                .satisfies(e -> {
                    Throwable t = e;
                    while (t != null && !(t instanceof InsecureBindingException)) {
                        t = t.getCause();
                    }
                    assertThat(t).as("cause chain of %s", e).isNotNull();
                    assertThat(t.getMessage()).startsWith("refusing to listen on 0.0.0.0 without API keys")
                            .contains("LLMP_ADMIN_KEY").doesNotContain("\n");
                });
    }

    @Test
    void requiredAuthGeneratesAnAdminKeyOnceAtFirstStart() throws Exception {
        String[] args = {"--server.port=0", "--server.address=127.0.0.1", "--llmp.home=" + dir, "--llmp.auth.required=true"};
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String secret;
        try (ConfigurableApplicationContext app = startCapturingStdout(args, captured)) {
            String output = captured.toString(StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\\n {4}(llmp-[A-Za-z0-9_-]{43})\\n").matcher(output);
            assertThat(m.find()).as(output).isTrue();
            secret = m.group(1);
            assertThat(send(app, "GET", "/v1/admin/keys", secret, null).statusCode()).isEqualTo(200);
            assertThat(send(app, "GET", "/v1/models", null, null).statusCode()).isEqualTo(401);
        }
        captured.reset();
        try (ConfigurableApplicationContext app = startCapturingStdout(args, captured)) {
            assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("llmp-");
            assertThat(send(app, "GET", "/v1/admin/keys", secret, null).statusCode()).isEqualTo(200);
        }
    }

    static ConfigurableApplicationContext startCapturingStdout(String[] args, ByteArrayOutputStream captured) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return PlatformApplication.start(args);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void onLoopbackTheFirstKeyTurnsAuthOnAndRevokingTheLastTurnsItOff() throws Exception {
        try (ConfigurableApplicationContext app = PlatformApplication.start("--server.port=0",
                "--server.address=127.0.0.1", "--llmp.home=" + dir)) {
            assertThat(send(app, "GET", "/v1/models", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> created = send(app, "POST", "/v1/admin/keys", null, "{\"name\":\"first\",\"role\":\"admin\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            var body = new tools.jackson.databind.ObjectMapper().readTree(created.body());
            String key = body.get("key").asString();
            assertThat(send(app, "GET", "/v1/models", null, null).statusCode()).isEqualTo(401);
            assertThat(send(app, "GET", "/v1/models", key, null).statusCode()).isEqualTo(200);
            assertThat(send(app, "DELETE", "/v1/admin/keys/" + body.get("id").asString(), key, null).statusCode()).isEqualTo(200);
            assertThat(send(app, "GET", "/v1/models", null, null).statusCode()).isEqualTo(200);
        }
    }
}
