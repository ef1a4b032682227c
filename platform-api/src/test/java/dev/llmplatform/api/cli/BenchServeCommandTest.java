package dev.llmplatform.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code llmp bench-serve} end to end against a small streaming server on 127.0.0.1. */
@Timeout(120)
class BenchServeCommandTest {
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n"
                        + "data: {\"choices\":[{\"delta\":{\"content\":\" world\"},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}\n\n"
                        + "data: [DONE]\n\n";
                exchange.getResponseBody().write(stream.getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void printsAReportAndAJsonLastLineWithExactlyTheDocumentedKeys() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("bench-serve", "--url", url() + "/v1", "--model", "m",
                "--concurrency", "2", "--requests", "5", "--prompt-tokens", "32", "--max-tokens", "8", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("5 sent, 5 completed, 0 errors").contains("from usage.completion_tokens")
                .contains("estimated at 0.75 words per token").contains("TTFT").contains("ITL");
        String[] lines = r.out().strip().split("\n");
        JsonNode json = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        Set<String> keys = new TreeSet<>(json.propertyNames());
        assertThat(keys).containsExactlyInAnyOrder("concurrency", "requests", "errors", "output_tok_s",
                "ttft_ms_p50", "ttft_ms_p99", "itl_ms_p50", "itl_ms_p99");
        for (String key : keys) {
            assertThat(json.get(key).isNumber()).as(key).isTrue();
        }
        assertThat(json.get("concurrency").asInt()).isEqualTo(2);
        assertThat(json.get("requests").asInt()).isEqualTo(5);
        assertThat(json.get("errors").asInt()).isZero();
        assertThat(json.get("output_tok_s").asDouble()).isPositive();
    }

    @Test
    void aRefusedConnectionIsOneLineNotAStackTrace() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        LlmpCommandTest.Result r = LlmpCommandTest.run("bench-serve", "--url", "http://127.0.0.1:" + port, "--model", "m");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("llmp: cannot connect to http://127.0.0.1:" + port + ": connection refused");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void everyRequestFailingExitsNonZeroWithTheReason() {
        LlmpCommandTest.Result r = LlmpCommandTest.run("bench-serve", "--url", url(), "--model", "m", "-n", "2",
                "--timeout-s", "5", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        server.removeContext("/v1/chat/completions");
        // HttpServer answers 404 for a path without a context.
        LlmpCommandTest.Result failed = LlmpCommandTest.run("bench-serve", "--url", url(), "--model", "m", "-n", "2", "--json");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.out()).contains("first error  HTTP 404");
        assertThat(failed.out().strip()).endsWith("\"itl_ms_p99\": null}");
        assertThat(failed.err()).contains("every request failed").doesNotContain("Exception");
    }

    @Test
    void badOptionsAreOneLineErrors() {
        String[][] cases = {
                {"--url", "ftp://127.0.0.1", "--model", "m"},
                {"--url", "http://127.0.0.1:1", "--model", "m", "--concurrency", "0"},
                {"--url", "http://127.0.0.1:1", "--model", "m", "--timeout-s", "0"},
                {"--url", "http://127.0.0.1:1", "--model", "m", "--requests", "-3"},
                {"--url", "http://127.0.0.1:1"},
        };
        String[] expected = {"http:// or https://", "--concurrency", "--timeout-s", "--requests", "--model"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 1];
            args[0] = "bench-serve";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            LlmpCommandTest.Result r = LlmpCommandTest.run(args);
            assertThat(r.code()).as(expected[i]).isNotZero();
            assertThat(r.err()).as(expected[i]).contains(expected[i]).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
