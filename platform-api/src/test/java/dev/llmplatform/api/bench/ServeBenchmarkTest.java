package dev.llmplatform.api.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * {@link ServeBenchmark} against a real local HTTP server streaming OpenAI-format SSE with known token
 * counts and delays. Latency bounds are wide on purpose: they check that the right intervals are measured
 * (the server's sleeps are lower bounds), not how fast this machine is.
 */
@Timeout(120)
class ServeBenchmarkTest {
    private static ServeBenchmarkResult run(FakeChatServer server, String url, int concurrency, int requests,
                                            int promptTokens, int maxTokens, Duration timeout, String apiKey)
            throws Exception {
        ServeBenchmarkOptions options = new ServeBenchmarkOptions(BenchmarkTarget.parse(url), "test-model", concurrency,
                requests, promptTokens, maxTokens, 0.0, timeout, apiKey, 7);
        try (ServeBenchmark bench = new ServeBenchmark(options)) {
            return bench.run();
        }
    }

    @Test
    void countsUsageTokensAndTimesFirstTokenAndGaps() throws Exception {
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.timed(5, 300, 60, 9, "\n"), false)) {
            ServeBenchmarkResult r = run(server, server.url(), 2, 6, 64, 32, Duration.ofSeconds(60), null);

            assertThat(r.errors()).as(r.firstError()).isZero();
            assertThat(r.completed()).isEqualTo(6);
            // The server's usage (9) wins over the 5 content chunks it sent.
            assertThat(r.outputTokens()).isEqualTo(6 * 9);
            assertThat(r.tokenCounting()).isEqualTo(ServeBenchmarkResult.TokenCounting.USAGE);
            assertThat(r.timeToFirstToken().count()).isEqualTo(6);
            assertThat(r.interTokenLatency().count()).isEqualTo(6 * 4);
            // The first content comes ≥ 300 ms after the request; gaps are 60 ms as sent (arrival can
            // bunch a little, hence the lower bound below 60).
            assertThat(r.timeToFirstToken().percentileMillis(50)).isBetween(300.0, 5_000.0);
            assertThat(r.timeToFirstToken().percentileMillis(99)).isBetween(300.0, 10_000.0);
            assertThat(r.interTokenLatency().percentileMillis(50)).isBetween(30.0, 2_000.0);
            assertThat(r.interTokenLatency().percentileMillis(99)).isBetween(r.interTokenLatency().percentileMillis(50), 10_000.0);
            // Six requests of ≥ 540 ms each, two at a time: at least 1.6 s of wall time.
            assertThat(r.wallSeconds()).isGreaterThan(1.6);
            assertThat(r.outputTokensPerSecond()).isEqualTo(r.outputTokens() / r.wallSeconds());
            assertThat(r.prompts().sizing()).isEqualTo(BenchmarkPrompts.Sizing.ESTIMATE);
        }
    }

    @Test
    void sendsPlainOpenAiStreamingRequestsWithDistinctPrompts() throws Exception {
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.timed(2, 0, 0, 2, "\n"), false)) {
            run(server, server.url(), 3, 9, 50, 17, Duration.ofSeconds(60), "sk-test");

            assertThat(server.chatRequests).hasSize(9);
            Set<String> prompts = new HashSet<>();
            for (JsonNode request : server.chatRequests) {
                assertThat(request.path("model").asString()).isEqualTo("test-model");
                assertThat(request.path("stream").asBoolean()).isTrue();
                assertThat(request.path("stream_options").path("include_usage").asBoolean()).isTrue();
                assertThat(request.path("max_tokens").asInt()).isEqualTo(17);
                assertThat(request.path("temperature").isNumber()).isTrue();
                assertThat(request.path("temperature").asDouble()).isZero();
                assertThat(request.has("ignore_eos")).isFalse();
                JsonNode messages = request.path("messages");
                assertThat(messages.size()).isEqualTo(1);
                assertThat(messages.get(0).path("role").asString()).isEqualTo("user");
                prompts.add(messages.get(0).path("content").asString());
            }
            assertThat(prompts).hasSize(9);
            assertThat(server.authorizations).containsOnly("Bearer sk-test");
            // JSON too, so that a server strict about Accept can still send its error body.
            assertThat(server.accepts).allSatisfy(a -> assertThat(a).contains("text/event-stream").contains("application/json"));
        }
    }

    @Test
    void countsContentChunksWhenTheServerSendsNoUsage() throws Exception {
        // CRLF line ends too: a server may send them.
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.timed(4, 0, 5, -1, "\r\n"), false)) {
            ServeBenchmarkResult r = run(server, server.url(), 2, 3, 20, 8, Duration.ofSeconds(60), null);

            assertThat(r.errors()).as(r.firstError()).isZero();
            assertThat(r.outputTokens()).isEqualTo(3 * 4);
            assertThat(r.tokenCounting()).isEqualTo(ServeBenchmarkResult.TokenCounting.CONTENT_CHUNKS);
            assertThat(r.interTokenLatency().count()).isEqualTo(3 * 3);
        }
    }

    @Test
    void countsHttpErrorsAndMidStreamErrorEventsAndKeepsTheFirstMessage() throws Exception {
        FakeChatServer.Script script = (arrival, request, exchange) -> {
            if (arrival == 1) {
                FakeChatServer.send(exchange, 500, "application/json",
                        "{\"error\":{\"message\":\"the model fell over\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            } else if (arrival == 3) {
                new FakeChatServer.Stream(exchange, "\n").role().content("partial")
                        .data("{\"error\":{\"message\":\"context overflow\",\"type\":\"invalid_request_error\"}}");
            } else {
                new FakeChatServer.Stream(exchange, "\n").role().content("a").content("b").finish().usage(2).done();
            }
        };
        try (FakeChatServer server = new FakeChatServer(script, false)) {
            // One at a time, so arrival order is request order.
            ServeBenchmarkResult r = run(server, server.url(), 1, 5, 16, 4, Duration.ofSeconds(60), null);

            assertThat(r.errors()).isEqualTo(2);
            assertThat(r.completed()).isEqualTo(3);
            assertThat(r.firstError()).isEqualTo("HTTP 500: the model fell over");
            // Failed requests add no tokens and no latencies.
            assertThat(r.outputTokens()).isEqualTo(3 * 2);
            assertThat(r.timeToFirstToken().count()).isEqualTo(3);
        }
        FakeChatServer.Script midStream = (arrival, request, exchange) ->
                new FakeChatServer.Stream(exchange, "\n").role().content("partial")
                        .data("{\"error\":{\"message\":\"context overflow\",\"type\":\"invalid_request_error\"}}");
        try (FakeChatServer server = new FakeChatServer(midStream, false)) {
            ServeBenchmarkResult r = run(server, server.url(), 1, 2, 16, 4, Duration.ofSeconds(60), null);
            assertThat(r.errors()).isEqualTo(2);
            assertThat(r.firstError()).isEqualTo("error event: context overflow");
            assertThat(r.tokenCounting()).isEqualTo(ServeBenchmarkResult.TokenCounting.NONE);
            assertThat(r.jsonLine()).contains("\"ttft_ms_p50\": null");
        }
    }

    @Test
    void streamsThatEndEarlyOrAreNotStreamsAreErrors() throws Exception {
        FakeChatServer.Script script = (arrival, request, exchange) -> {
            if (arrival == 0) {
                new FakeChatServer.Stream(exchange, "\n").role().content("cut"); // connection ends, no [DONE]
            } else {
                FakeChatServer.send(exchange, 200, "application/json", "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}");
            }
        };
        try (FakeChatServer server = new FakeChatServer(script, false)) {
            ServeBenchmarkResult r = run(server, server.url(), 1, 2, 16, 4, Duration.ofSeconds(60), null);
            assertThat(r.errors()).isEqualTo(2);
            assertThat(r.firstError()).isEqualTo("the stream ended before [DONE]");
        }
    }

    @Test
    void aStalledStreamIsCutAtTheRequestTimeoutAndTheRunEnds() throws Exception {
        FakeChatServer.Script stall = (arrival, request, exchange) -> {
            FakeChatServer.Stream s = new FakeChatServer.Stream(exchange, "\n").role().content("first");
            Thread.sleep(30_000);
            s.done();
        };
        try (FakeChatServer server = new FakeChatServer(stall, false)) {
            ServeBenchmarkResult r = run(server, server.url(), 2, 2, 16, 4, Duration.ofMillis(500), null);
            assertThat(r.errors()).isEqualTo(2);
            assertThat(r.firstError()).startsWith("not finished within 0.500s");
        }
    }

    @Test
    void aServerThatNeverAnswersIsCutAtTheRequestTimeout() throws Exception {
        FakeChatServer.Script silent = (arrival, request, exchange) -> Thread.sleep(30_000);
        try (FakeChatServer server = new FakeChatServer(silent, false)) {
            ServeBenchmarkResult r = run(server, server.url(), 1, 2, 16, 4, Duration.ofMillis(500), null);
            assertThat(r.errors()).isEqualTo(2);
            assertThat(r.firstError()).isEqualTo("no response within 0.500s");
        }
    }

    @Test
    void reasoningContentIsOutputToo() throws Exception {
        FakeChatServer.Script thinking = (arrival, request, exchange) -> {
            FakeChatServer.Stream s = new FakeChatServer.Stream(exchange, "\n").role();
            s.data("{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"},\"finish_reason\":null}]}");
            Thread.sleep(200);
            s.content("answer").finish().done();
        };
        try (FakeChatServer server = new FakeChatServer(thinking, false)) {
            ServeBenchmarkResult r = run(server, server.url(), 1, 2, 16, 4, Duration.ofSeconds(60), null);
            assertThat(r.errors()).as(r.firstError()).isZero();
            assertThat(r.outputTokens()).isEqualTo(2 * 2);
            // The first token is the reasoning; the answer follows ≥ 200 ms later, one gap per request.
            assertThat(r.interTokenLatency().count()).isEqualTo(2);
            assertThat(r.interTokenLatency().percentileMillis(50)).isBetween(150.0, 5_000.0);
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        FakeChatServer.Script redirect = (arrival, request, exchange) -> {
            exchange.getResponseHeaders().set("Location", "/elsewhere");
            FakeChatServer.send(exchange, 307, "text/plain", "");
        };
        try (FakeChatServer server = new FakeChatServer(redirect, false)) {
            ServeBenchmarkResult r = run(server, server.url(), 1, 1, 16, 4, Duration.ofSeconds(60), null);
            assertThat(r.errors()).isEqualTo(1);
            assertThat(r.firstError()).startsWith("HTTP 307").contains("redirects are not followed");
            assertThat(server.paths).noneMatch(p -> p.contains("elsewhere"));
        }
    }

    @Test
    void aV1UrlReachesTheSameEndpoints() throws Exception {
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.timed(1, 0, 0, 1, "\n"), true)) {
            for (String url : List.of(server.url() + "/v1", server.url() + "/v1/", server.url() + "/")) {
                server.paths.clear();
                ServeBenchmarkResult r = run(server, url, 1, 1, 16, 4, Duration.ofSeconds(60), null);
                assertThat(r.errors()).as(url + ": " + r.firstError()).isZero();
                assertThat(server.paths).as(url).containsOnly("POST /tokenize", "POST /v1/chat/completions");
            }
        }
    }

    @Test
    void promptsAreSizedWithTheServersTokenizerWhenItHasOne() throws Exception {
        try (FakeChatServer server = new FakeChatServer(FakeChatServer.timed(1, 0, 0, 1, "\n"), true)) {
            ServeBenchmarkResult r = run(server, server.url(), 2, 4, 300, 4, Duration.ofSeconds(60), null);

            assertThat(r.prompts().sizing()).isEqualTo(BenchmarkPrompts.Sizing.TOKENIZE_ENDPOINT);
            assertThat(r.prompts().tokensPerWord()).isEqualTo(FakeChatServer.TOKENS_PER_WORD);
            for (JsonNode request : server.chatRequests) {
                int tokens = FakeChatServer.countTokens(request.path("messages").get(0).path("content").asString());
                // Whole words of two tokens each, and request numbers of one or two digits: within a word.
                assertThat(tokens).isBetween(300 - 2, 300 + 2);
            }
        }
    }

    @Test
    void aRefusedConnectionIsOneClearException() throws Exception {
        int port = unusedPort();
        ServeBenchmarkOptions options = ServeBenchmarkOptions.of(BenchmarkTarget.parse("http://127.0.0.1:" + port),
                "m", 1, 1, 16, 4);
        try (ServeBenchmark bench = new ServeBenchmark(options)) {
            assertThatThrownBy(bench::run).isInstanceOf(ServerUnreachableException.class)
                    .hasMessage("cannot connect to http://127.0.0.1:" + port + ": connection refused");
        }
    }

    @Test
    void optionsRejectNonsense() {
        BenchmarkTarget target = BenchmarkTarget.parse("http://127.0.0.1:1");
        assertThatThrownBy(() -> ServeBenchmarkOptions.of(target, "m", 0, 1, 1, 1)).hasMessageContaining("--concurrency");
        assertThatThrownBy(() -> ServeBenchmarkOptions.of(target, "m", 1, 0, 1, 1)).hasMessageContaining("--requests");
        assertThatThrownBy(() -> ServeBenchmarkOptions.of(target, "m", 1, 1, 0, 1)).hasMessageContaining("--prompt-tokens");
        assertThatThrownBy(() -> ServeBenchmarkOptions.of(target, "m", 1, 1, 1, 0)).hasMessageContaining("--max-tokens");
        assertThatThrownBy(() -> ServeBenchmarkOptions.of(target, " ", 1, 1, 1, 1)).hasMessageContaining("--model");
        assertThatThrownBy(() -> ServeBenchmarkOptions.of(target, "m", 1, 1, 1, 1).withRequestTimeout(Duration.ZERO))
                .hasMessageContaining("--timeout-s");
        assertThat(new ServeBenchmarkOptions(target, "m", 1, 1, 1, 1, 0, Duration.ofSeconds(1), "secret", 1).toString())
                .doesNotContain("secret");
    }

    /** A loopback port nothing listens on (it was free a moment ago), so connecting is refused. */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
