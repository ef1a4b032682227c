package dev.llmplatform.api;

import dev.llmplatform.engine.testing.SharedTestData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One real platform server for the integration tests of this JVM, started on first use on a random
 * loopback port with a small shared reference model: {@code tiny} (8 sequences, for batching tests) and
 * {@code single} (1 sequence, for overload and cancellation tests), both the same file.
 */
public final class TestServer {
    public static final String MODEL = "tiny";
    public static final String SINGLE = "single";
    private static TestServer instance;

    public final ConfigurableApplicationContext app;
    public final String base;
    public final Path modelFile;
    public final HttpClient http = HttpClient.newHttpClient();

    private TestServer(ConfigurableApplicationContext app, Path modelFile) {
        this.app = app;
        this.modelFile = modelFile;
        this.base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    /** The shared server; the test is skipped (failed under CI=true) without the reference models. */
    public static synchronized TestServer get() throws IOException {
        if (instance == null) {
            Path model = SharedTestData.require("models/llama-spm-Q8_0.gguf");
            Path home = Files.createTempDirectory("llmp-it-home");
            ConfigurableApplicationContext app = PlatformApplication.start("--server.port=0", "--server.address=127.0.0.1",
                    "--llmp.home=" + home,
                    "--llmp.models[0].id=" + MODEL, "--llmp.models[0].path=" + model, "--llmp.models[0].parallel=8",
                    "--llmp.models[0].ctx=1024",
                    "--llmp.models[1].id=" + SINGLE, "--llmp.models[1].path=" + model, "--llmp.models[1].parallel=1",
                    "--llmp.models[1].ctx=2048",
                    "--llmp.serving.threads=2", "--llmp.serving.queue-timeout=500ms",
                    "--llmp.serving.disconnect-probe=200ms",
                    // rules and patterns only: deterministic for these prompts (the classifier has its own tests)
                    "--llmp.guardrails.policy=fast");
            instance = new TestServer(app, model);
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        }
        return instance;
    }

    public <T> T bean(Class<T> type) {
        return app.getBean(type);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    public HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
